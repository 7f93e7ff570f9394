// A session that comes back by itself (docs/PROTOCOL.md "Moving and resuming"): keep the resume credential,
// number every input (`seq`), join again with `resume` after `moving` + close 4100 or a lost process, and
// resend what the restored session had not applied. The TypeScript reference: clients/ts/src/SessionClient.ts.
import Colyseus
import DeepStreamRealtime
import Foundation

@MainActor
public final class SessionResume {
    public enum Link { case connected, moving, reconnecting, closed }

    private struct SentInput {
        let seq: Int
        let type: String
        let payload: MessagePackValue
    }

    private let client: Colyseus.Client
    private let appVersion: String
    private var room: Colyseus.Room<SessionState>?
    private var subscriptions: [Subscription] = []
    /// The last 64 inputs sent: after `resumed`, those above its appliedSeq go again, in order.
    private var sent: [SentInput] = []
    private var movingRetryAfterMs: Int?
    public private(set) var link: Link = .closed

    /// Kept with the credential, so a relaunch continues the numbering (a seq the server saw is ignored).
    private var resume: String? {
        get { UserDefaults.standard.string(forKey: "ds.resume") }
        set { UserDefaults.standard.set(newValue, forKey: "ds.resume") }
    }
    private var nextSeq: Int {
        get { max(1, UserDefaults.standard.integer(forKey: "ds.nextSeq")) }
        set { UserDefaults.standard.set(newValue, forKey: "ds.nextSeq") }
    }

    public init(endpoint: String, appVersion: String) throws {
        client = try Colyseus.Client(endpoint: endpoint)
        self.appVersion = appVersion
    }

    public func connect(signedIn: SignedIn) async throws {
        client.auth.token = signedIn.accessToken
        try await join()
    }

    public func swipe(right: Bool, velocity: Double) throws {
        let seq = takeSeq()
        transmit(SentInput(seq: seq, type: "swipe", payload: try DeepStreamWire.encode(SwipeMessage(direction: right ? .directionRight : .directionLeft, seq: seq, velocity: min(abs(velocity), 20_000)))))
    }

    public func tune(frequency: Double) throws {
        let seq = takeSeq()
        transmit(SentInput(seq: seq, type: "tune", payload: try DeepStreamWire.encode(TuneMessage(frequency: frequency, seq: seq))))
    }

    /// Tries in a row at most `promptRetryMaxMs` apart while a session moves (then the usual backoff): about 1–2 s.
    static let promptRetries = 8
    static let promptRetryMaxMs = 250

    /// Joins with the credential while there is one; a refused credential is dropped for a plain join.
    private func join() async throws {
        var ceilingMs = 250
        var failures = 0
        while true {
            let lastSessionId = UserDefaults.standard.string(forKey: "ds.lastSessionId")
            let options = SessionJoinOptions(appVersion: appVersion, deviceModel: "iPhone", lastSessionId: lastSessionId, resume: resume, ride: nil)
            do {
                return attach(try await client.create("session", options: try DeepStreamWire.encode(options), state: SessionState.self))
            } catch {
                let text = "\(error)"
                if resume != nil, ["RESUME_INVALID", "RESUME_EXPIRED", "RESUME_FORBIDDEN", "RESUME_STALE"].contains(where: text.contains) {
                    resume = nil
                    continue
                }
                // RESUME_BUSY (503/4503) names its wait, and is not a failed try: the session is back in seconds.
                let hint = retryHint(in: text)
                if hint == nil { failures += 1 }
                // A draining process refused and closed its connection (SHUTTING_DOWN), or a moving session's new
                // connection failed: another process takes the session at once, so the first tries come promptly
                // on a new connection (a balancer may pick the process that just left). Else: backoff up to 8 s.
                let prompt = text.contains("SHUTTING_DOWN") || (movingRetryAfterMs != nil && error is URLError)
                let backoffMs = Int.random(in: 50...ceilingMs)
                let waitMs = hint ?? (prompt && failures <= Self.promptRetries ? min(backoffMs, Self.promptRetryMaxMs) : backoffMs)
                ceilingMs = min(ceilingMs * 2, 8_000)
                link = .reconnecting
                try await Task.sleep(nanoseconds: UInt64(waitMs) * 1_000_000)
            }
        }
    }

    private func attach(_ room: Colyseus.Room<SessionState>) {
        subscriptions.forEach { $0.cancel() }
        self.room = room
        movingRetryAfterMs = nil
        // A few quick tries at the same room; a process that is gone is then resumed elsewhere (onLeave).
        var reconnection = room.reconnection
        reconnection.maxRetries = 3
        reconnection.delayMs = 100
        reconnection.maxDelayMs = 500
        room.reconnection = reconnection
        subscriptions = [
            room.onMessage("welcome", as: WelcomeMessage.self) { [weak self] welcome in
                Task { @MainActor in self?.greeted(sessionId: welcome.sessionId, resume: welcome.resume, resendAbove: nil) }
            },
            room.onMessage("resumed", as: ResumedMessage.self) { [weak self] resumed in
                Task { @MainActor in self?.greeted(sessionId: resumed.sessionId, resume: resumed.resume, resendAbove: resumed.appliedSeq) }
            },
            room.onMessage("moving", as: MovingMessage.self) { [weak self] moving in
                Task { @MainActor in self?.noteMoving(resume: moving.resume, appliedSeq: moving.appliedSeq, retryAfterMs: moving.retryAfterMs) }
            },
            room.onLeave { [weak self] code, _ in
                Task { @MainActor in self?.left(code: Int(code)) }
            },
        ]
        link = .connected
    }

    /// `welcome` (a new session: nothing is resent to it) or `resumed` (resend what it had not applied).
    private func greeted(sessionId: String, resume: String, resendAbove appliedSeq: Int?) {
        self.resume = resume
        UserDefaults.standard.set(sessionId, forKey: "ds.lastSessionId")
        let resend = sent.filter { $0.seq > (appliedSeq ?? Int.max) }
        sent.removeAll()
        resend.forEach(transmit)
    }

    private func noteMoving(resume: String, appliedSeq: Int, retryAfterMs: Int) {
        self.resume = resume
        sent.removeAll { $0.seq <= appliedSeq }
        movingRetryAfterMs = retryAfterMs
        link = .moving
    }

    private func left(code: Int) {
        room = nil
        // 4000: ended on purpose; 4409: resumed on another device. Neither is taken back.
        if code == 4000 || code == 4409 {
            resume = nil
            link = .closed
            return
        }
        // 4100 after `moving`, or a process that went away: join again with `resume`, about when told.
        let waitMs = (movingRetryAfterMs ?? 0) + Int.random(in: 0...250)
        link = movingRetryAfterMs == nil ? .reconnecting : .moving
        Task { @MainActor in
            try? await Task.sleep(nanoseconds: UInt64(waitMs) * 1_000_000)
            try? await self.join()
        }
    }

    private func takeSeq() -> Int {
        let seq = nextSeq
        nextSeq = seq + 1
        return seq
    }

    /// Sent now, or (no room) kept: either way it is resent after `resumed` if the session did not apply it.
    private func transmit(_ input: SentInput) {
        room?.send(input.type, input.payload)
        sent.append(input)
        if sent.count > 64 { sent.removeFirst() }
    }

    private func retryHint(in text: String) -> Int? {
        guard let range = text.range(of: "retryAfterMs=") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
