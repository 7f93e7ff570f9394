// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class CameraState: SchemaRef, @unchecked Sendable {
    public var x: Double { view["x"] }
    public var y: Double { view["y"] }
    public var z: Double { view["z"] }
    public var fov: Double { view["fov"] }
    public var transitioning: Bool { view.bool("transitioning") }
    public var progress: Double { view["progress"] }
}
