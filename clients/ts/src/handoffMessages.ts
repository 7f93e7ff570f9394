// Stand-in for the generated types until messages.ts has them (npm run codegen on main).
export interface StationRef {
    artistId:   string;
    artistName: string;
    frequency:  number;
}
export interface ResumedMessage {
    appliedSeq:   number | null;
    badges:       string[];
    frequency:    number;
    restoredFrom: 'handoff' | 'snapshot' | 'durable';
    resume:       string;
    resumeCount:  number;
    serverTime:   number;
    sessionId:    string;
    station:      StationRef;
    totalStars:   number;
    userId:       string;
}
export interface MovingMessage {
    appliedSeq:   number;
    reason:       'draining';
    resume:       string;
    retryAfterMs: number;
}
export interface DuplicateMessage {
    appliedSeq: number;
    for:        string;
    seq:        number;
}
