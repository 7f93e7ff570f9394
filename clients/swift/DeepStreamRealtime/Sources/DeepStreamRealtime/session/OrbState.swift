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
    public var startAngle: Double { view["startAngle"] }
    public var inclination: Double { view["inclination"] }
}
