// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class LeaderboardRow: SchemaRef, @unchecked Sendable {
    public var rank: Double { view["rank"] }
    public var previousRank: Double { view["previousRank"] }
    public var entityId: String { view.string("entityId") ?? "" }
    public var name: String { view.string("name") ?? "" }
    public var score: Double { view["score"] }
    public var trend: String { view.string("trend") ?? "" }
    public var change: Double { view["change"] }
    public var changePercent: Double { view["changePercent"] }
    public var image: String { view.string("image") ?? "" }
}
