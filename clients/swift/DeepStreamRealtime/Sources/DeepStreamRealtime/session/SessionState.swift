// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class SessionState: SchemaRef, @unchecked Sendable {
    public var station: StationState? { refOf("station") }
    public var dial: DialState? { refOf("dial") }
    public var orbs: MapSchema<OrbState> { mapOf("orbs") }
    public var orbEpoch: Double { view["orbEpoch"] }
    public var camera: CameraState? { refOf("camera") }
    public var totalStars: Double { view["totalStars"] }
    public var badges: ArraySchema<String> { arrayOf("badges") }
    public var orbsExplored: Double { view["orbsExplored"] }
    public var interactions: Double { view["interactions"] }
}
