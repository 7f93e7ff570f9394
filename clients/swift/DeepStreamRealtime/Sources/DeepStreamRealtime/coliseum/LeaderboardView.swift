// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class LeaderboardView: SchemaRef, @unchecked Sendable {
    public var leaderboard: String { view.string("leaderboard") ?? "" }
    public var title: String { view.string("title") ?? "" }
    public var window: String { view.string("window") ?? "" }
    public var rows: ArraySchema<LeaderboardRow> { arrayOf("rows") }
    public var updatedAt: Double { view["updatedAt"] }
}
