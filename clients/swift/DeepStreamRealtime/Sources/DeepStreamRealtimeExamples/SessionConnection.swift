// Join `session`, handle its messages with the generated types, and draw the dial
// (docs/PROTOCOL.md "Swift: join `session` and draw the dial").
import Colyseus
import DeepStreamRealtime
import Foundation

@MainActor
public final class SessionConnection {
    private let client: Colyseus.Client
    public private(set) var room: Colyseus.Room<SessionState>?
    private var subscriptions: [Subscription] = []

    public init(endpoint: String = "wss://realtime.deepstream.example") throws {
        client = try Colyseus.Client(endpoint: endpoint)
    }

    /// `signedIn` from signIn(base:deviceSecret:deviceModel:) (or a refresh), see "Authentication".
    public func connect(signedIn: SignedIn, appVersion: String, lastSessionId: String?) async throws {
        client.auth.token = signedIn.accessToken  // sent on matchmaking and on the WebSocket URL (_authToken)
        // `resume: nil`: a first join; SessionResume.swift shows the join that takes a moved session back.
        let options = SessionJoinOptions(appVersion: appVersion, deviceModel: "iPhone", lastSessionId: lastSessionId, resume: nil, ride: nil)
        let room = try await client.create("session", options: try DeepStreamWire.encode(options), state: SessionState.self)
        self.room = room
        UserDefaults.standard.set(room.reconnectionToken, forKey: "ds.reconnectionToken")

        subscriptions.append(room.onMessage("welcome", as: WelcomeMessage.self) { welcome in
            UserDefaults.standard.set(welcome.sessionId, forKey: "ds.lastSessionId")
        })
        subscriptions.append(room.onMessage("locked", as: LockedMessage.self) { locked in
            let events: [HapticEvent] = locked.haptic
            print("locked on \(locked.artistId) at \(locked.frequency) MHz; \(events.count) haptic events")
        })
        subscriptions.append(room.onMessage("captured", as: CapturedMessage.self) { captured in
            let stars: Int = captured.totalStars
            let next: NextMilestone? = captured.nextMilestone
            print("\(captured.star.artistName) captured: \(stars) stars, next badge \(next?.badge.rawValue ?? "none")")
        })
        subscriptions.append(room.onMessage("search", as: SearchMessage.self) { answer in
            print("\(answer.totalResults) results for \(answer.query): \(answer.results.map(\.artist.name))")
        })
        subscriptions.append(room.onMessage("journal", as: JournalMessage.self) { journal in
            print("\(journal.statistics.totalStars) stars in \(journal.clusters.map(\.name))")
        })
        subscriptions.append(room.onMessage("error", as: SessionErrorMessage.self) { error in
            print("refused \(error.sessionErrorMessageFor): \(error.code.rawValue) \(error.message)")
        })
    }

    /// The dial's frequency at server time `t` (ms): docs/PROTOCOL.md "The dial: motion on the server clock"
    /// (the TypeScript reference: clients/ts/src/glide.ts). Call it from the frame loop.
    public func dialFrequencyAt(_ dial: DialState, _ t: Double) -> Double {
        let f0 = dial.frequency, f1 = dial.predicted
        if dial.locked || t >= dial.settlesAt { return f1 }
        let d = abs(f1 - f0), v0 = abs(dial.velocity), a = dial.deceleration
        guard v0 > 0, a > 0, d > 0 else { return f0 }
        let s = max(0, t - dial.movedAt) / 1000
        let t1 = max(0, d / v0 - v0 / (2 * a))
        let tau = min(max(s - t1, 0), v0 / a)
        let travel = min(d, v0 * min(s, t1) + v0 * tau - a * tau * tau / 2)
        return f0 + (f1 >= f0 ? 1 : -1) * travel
    }

    /// The dial now, or nil before the first state arrives.
    public func currentFrequency(serverNowMs: Double) -> Double? {
        guard let dial = room?.state?.dial else { return nil }
        return dialFrequencyAt(dial, serverNowMs)
    }

    public func swipe(right: Bool, velocity: Double) throws {
        try room?.send("swipe", SwipeMessage(direction: right ? .directionRight : .directionLeft, seq: nil, velocity: min(abs(velocity), 20_000)))
    }

    public func search(_ query: String) throws {
        try room?.send("search", SearchRequest(limit: 10, q: query, requestId: UUID().uuidString, seq: nil))
    }

    public func openJournal() throws {
        try room?.send("journal", JournalRequest(seq: nil))
    }
}
