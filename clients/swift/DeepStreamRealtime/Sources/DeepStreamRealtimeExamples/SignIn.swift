// Device sign-in (docs/PROTOCOL.md "Authentication"): POST /api/auth/device with the install's secret.
// `DeviceSignInRequest` and `SignedIn` are the generated types; keep the secret in the Keychain.
import DeepStreamRealtime
import Foundation

public enum SignInError: Error {
    case refused(status: Int, body: HTTPError?)
}

/// deviceSecret: 32 bytes from SecRandomCopyBytes, base64url without padding, generated once per install.
public func signIn(base: URL, deviceSecret: String, deviceModel: String) async throws -> SignedIn {
    var request = URLRequest(url: base.appendingPathComponent("api/auth/device"))
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = try JSONEncoder().encode(DeviceSignInRequest(deviceModel: deviceModel, deviceSecret: deviceSecret))
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard status == 200 || status == 201 else {
        throw SignInError.refused(status: status, body: try? JSONDecoder().decode(HTTPError.self, from: data))
    }
    return try JSONDecoder().decode(SignedIn.self, from: data)
}
