// Ride along (docs/PROTOCOL.md "Rides"), what clients/ts SessionClient offers: the host opens a ride on their own
// session room, renews or revokes its invite, passes the dial and takes it back, removes a rider, ends it; a rider
// finds the ride's room from the invite, joins it, reacts, captures into their own constellation, and leaves for
// their own session, where they were.
import Colyseus
import DeepStreamRealtime
import Foundation

@MainActor
public final class RideAlong {
    private let client: Colyseus.Client
    public private(set) var room: Colyseus.Room<SessionState>?
    public private(set) var roster: RideMessage?

    public init(endpoint: String) throws {
        client = try Colyseus.Client(endpoint: endpoint)
    }

    // MARK: - Hosting, on your own session room (SessionConnection's `room`); `ride` answers each with the roster.

    /// `who: .friends` admits your friends; `.link` anyone with the code. `invite` leaves an entry in those friends' inbox.
    public static func open(_ host: Colyseus.Room<SessionState>, who: Who = .friends, invite: [String]? = nil) throws {
        _ = host.onMessage("ride", as: RideMessage.self) { roster in
            if let invite = roster.invite { print("invite \(invite.code) (\(invite.link)); \(roster.riders.count) of \(roster.maxRiders) riders") }
        }
        try host.send("ride_open", RideOpenMessage(invite: invite, seq: nil, who: who))
    }

    /// A new code (the old one stops working), or none with `revoke: true`.
    public static func renewInvite(_ host: Colyseus.Room<SessionState>, revoke: Bool = false) throws {
        try host.send("ride_invite", RideInviteMessage(invite: nil, revoke: revoke ? true : nil, seq: nil, who: nil))
    }

    /// The rider (a `userId` of the roster) drives until you take the dial back.
    public static func passDial(_ host: Colyseus.Room<SessionState>, to userId: String) throws {
        try host.send("ride_pass", RidePassMessage(seq: nil, userId: userId))
    }

    public static func takeDial(_ host: Colyseus.Room<SessionState>) throws {
        try host.send("ride_take", RideTakeMessage(seq: nil))
    }

    /// They get `ride_ended` `kicked` and cannot come back to this ride.
    public static func kick(_ host: Colyseus.Room<SessionState>, userId: String) throws {
        try host.send("ride_kick", RideKickMessage(seq: nil, userId: userId))
    }

    public static func end(_ host: Colyseus.Room<SessionState>) throws {
        try host.send("ride_end", RideEndMessage(seq: nil))
    }

    // MARK: - Riding

    /// Join with the invite's code (a link's `ride` parameter). Leave your own session first: its id stays in
    /// "ds.lastSessionId" and `leave` takes you back. After `moving` (close 4100) join again with the ride's id.
    public func join(base: URL, code: String?, rideId: String?, signedIn: SignedIn) async throws {
        client.auth.token = signedIn.accessToken
        var lookup = URLRequest(url: base.appendingPathComponent("api/rides/\(rideId ?? code ?? "")"))
        lookup.setValue("Bearer \(signedIn.accessToken)", forHTTPHeaderField: "Authorization")
        let found = try JSONDecoder().decode(RideRoom.self, from: try await URLSession.shared.data(for: lookup).0)
        let ride = SessionJoinOptionsRide(code: rideId == nil ? code : nil, id: rideId)
        let options = SessionJoinOptions(appVersion: nil, deviceModel: nil, lastSessionId: nil, resume: nil, ride: ride)
        let room = try await client.joinById(found.roomId, options: try DeepStreamWire.encode(options), state: SessionState.self)
        self.room = room
        _ = room.onMessage("ride", as: RideMessage.self) { [weak self] roster in
            self?.roster = roster
            print("riding with \(roster.host.name ?? "a listener"); the dial is \(roster.holder == signedIn.userId ? "yours" : "theirs")")
        }
        _ = room.onMessage("reaction", as: ReactionMessage.self) { shown in print("\(shown.userId): \(shown.reaction.rawValue)") }
        _ = room.onMessage("ride_ended", as: RideEndedMessage.self) { ended in print("ride over (\(ended.reason.rawValue)): `leave` takes you home") }
    }

    /// Shown to everyone in the ride; past RIDE_REACTIONS_PER_10S refused `RATE_LIMITED`.
    public func react(_ kind: Reaction) throws {
        try room?.send("react", ReactMessage(reaction: kind, seq: nil))
    }

    public func capture() throws {
        try room?.send("capture", CaptureMessage(artistId: nil, opId: UUID().uuidString, seq: nil))
    }

    /// Leaves the ride (or answers `ride_ended`) for your own session, joined again where you were.
    public func leave(appVersion: String) async throws -> Colyseus.Room<SessionState> {
        room?.leave()
        room = nil
        roster = nil
        let lastSessionId = UserDefaults.standard.string(forKey: "ds.lastSessionId")
        let options = SessionJoinOptions(appVersion: appVersion, deviceModel: "iPhone", lastSessionId: lastSessionId, resume: nil, ride: nil)
        return try await client.create("session", options: try DeepStreamWire.encode(options), state: SessionState.self)
    }
}
