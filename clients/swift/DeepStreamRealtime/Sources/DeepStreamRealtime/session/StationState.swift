// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import Colyseus

public final class StationState: SchemaRef, @unchecked Sendable {
    public var frequency: Double { view["frequency"] }
    public var artistId: String { view.string("artistId") ?? "" }
    public var artistName: String { view.string("artistName") ?? "" }
    public var genre: String { view.string("genre") ?? "" }
    public var era: String { view.string("era") ?? "" }
}
