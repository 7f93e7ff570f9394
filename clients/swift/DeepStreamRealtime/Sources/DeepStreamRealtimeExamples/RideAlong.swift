// Ride along (docs/PROTOCOL.md "Rides"): find the ride's room from its invite, join it as a rider, react, capture
// into your own constellation. The host opens one with `ride_open` on their own session room.
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

    /// Leave your own session first (keep its id: `lastSessionId` takes you back when `ride_ended` comes).
    /// After `moving` (close 4100) join again with the ride's id instead of the code.
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
        _ = room.onMessage("ride_ended", as: RideEndedMessage.self) { ended in print("ride over (\(ended.reason.rawValue)): rejoin your session") }
    }

    public func react(_ kind: Reaction) throws {
        try room?.send("react", ReactMessage(reaction: kind, seq: nil))
    }

    public func capture() throws {
        try room?.send("capture", CaptureMessage(artistId: nil, opId: UUID().uuidString, seq: nil))
    }
}
