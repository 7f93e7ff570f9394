// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class KpiTile: SchemaRef, @unchecked Sendable {
    public var label: String { view.string("label") ?? "" }
    public var unit: String { view.string("unit") ?? "" }
    public var value: Double { view["value"] }
    public var previous: Double { view["previous"] }
}
