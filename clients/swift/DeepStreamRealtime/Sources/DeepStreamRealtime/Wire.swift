// Hand-written (not generated): the bridge between the Colyseus SDK's MessagePack payloads and the
// generated Codable message types. A room message and its JSON have the same keys, so a payload is
// decoded by way of JSON, and a message is sent by way of JSON.
import Colyseus
import Foundation

public enum DeepStreamWire {
    /// A received payload decoded into a generated message type (e.g. `LockedMessage.self`).
    public static func decode<T: Decodable>(_ type: T.Type, from payload: MessagePackValue) throws -> T {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(payload), options: [.fragmentsAllowed])
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// A generated message (e.g. `TuneMessage(frequency: 99.9)`) as the payload `room.send` takes.
    public static func encode<T: Encodable>(_ message: T) throws -> MessagePackValue {
        let data = try JSONEncoder().encode(message)
        return messagePackValue(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static func jsonObject(_ value: MessagePackValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let number): return number
        case .uint(let number): return number
        case .double(let number): return number
        case .string(let text): return text
        case .binary(let bytes): return bytes.base64EncodedString()
        case .array(let items): return items.map(jsonObject)
        case .map(let entries): return entries.mapValues(jsonObject)
        }
    }

    static func messagePackValue(_ object: Any) -> MessagePackValue {
        switch object {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            if CFGetTypeID(number) == CFBooleanGetTypeID() { return .bool(number.boolValue) }
            if CFNumberIsFloatType(number) { return .double(number.doubleValue) }
            return .int(number.int64Value)
        case let items as [Any]: return .array(items.map(messagePackValue))
        case let entries as [String: Any]: return .map(entries.mapValues(messagePackValue))
        default: return .null
        }
    }
}

public extension Colyseus.Room {
    /// Handles one message type with its generated type; a payload that does not decode goes to `onInvalid`.
    @discardableResult
    func onMessage<T: Decodable & Sendable>(
        _ type: String,
        as _: T.Type,
        onInvalid: @escaping @Sendable (Error) -> Void = { _ in },
        _ handler: @escaping @Sendable (T) -> Void
    ) -> Subscription {
        onMessage(type) { payload in
            do { handler(try DeepStreamWire.decode(T.self, from: payload)) } catch { onInvalid(error) }
        }
    }

    /// Sends a generated message type (e.g. `room.send("tune", TuneMessage(frequency: 99.9))`).
    func send<T: Encodable>(_ type: String, _ message: T) throws {
        send(type, try DeepStreamWire.encode(message))
    }
}
