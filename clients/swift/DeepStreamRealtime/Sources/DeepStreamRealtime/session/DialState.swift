// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class DialState: SchemaRef, @unchecked Sendable {
    public var frequency: Double { view["frequency"] }
    public var velocity: Double { view["velocity"] }
    public var locked: Bool { view.bool("locked") }
    public var predicted: Double { view["predicted"] }
    public var movedAt: Double { view["movedAt"] }
    public var settlesAt: Double { view["settlesAt"] }
    public var deceleration: Double { view["deceleration"] }
    public var maxSpeed: Double { view["maxSpeed"] }
}
