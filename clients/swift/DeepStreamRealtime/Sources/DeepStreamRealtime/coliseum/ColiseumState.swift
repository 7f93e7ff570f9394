// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class ColiseumState: SchemaRef, @unchecked Sendable {
    public var window: String { view.string("window") ?? "" }
    public var leaderboards: MapSchema<LeaderboardView> { mapOf("leaderboards") }
    public var kpis: MapSchema<KpiTile> { mapOf("kpis") }
}
