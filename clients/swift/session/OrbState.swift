// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class OrbState: SchemaRef, @unchecked Sendable {
    public var artistId: String { view.string("artistId") ?? "" }
    public var name: String { view.string("name") ?? "" }
    public var relationship: String { view.string("relationship") ?? "" }
    public var radius: Double { view["radius"] }
    public var speed: Double { view["speed"] }
    public var angle: Double { view["angle"] }
    public var inclination: Double { view["inclination"] }
    public var x: Double { view["x"] }
    public var y: Double { view["y"] }
    public var z: Double { view["z"] }
}
