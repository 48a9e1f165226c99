import Masking
import Testing

@Suite("Masking detectors: payment cards")
struct MaskingPaymentCardTests {
    @Test(
        "masks Luhn-valid numbers of known issuers, bare or grouped",
        arguments: [
            "4242 4242 4242 4242", "4111111111111111", "4111-1111-1111-1111", "5555555555554444", "2223003122003222",
            "3782 822463 10005", "6011111111111117", "3530111333300000", "30569309025904", "6200000000000005",
        ])
    func truePositives(card: String) {
        #expect(MaskingFixtures.only(.paymentCard, "card: \(card), thanks") == "card: [PAYMENT_CARD], thanks")
    }

    @Test(
        "leaves Luhn-invalid, unknown-issuer, mixed-separator and longer numbers alone",
        arguments: [
            "4242424242424241", "1234567812345670", "9000000000000001", "4242 4242-4242 4242", "42424242424242420",
            "order 14242424242424242", "4242424242424242.5", "v4242424242424242",
        ])
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.paymentCard, text) == text)
    }

    @Test("keeps a trailing expiry year out of a grouped card number")
    func trailingGroup() {
        #expect(MaskingFixtures.only(.paymentCard, "4242 4242 4242 4242 2029") == "[PAYMENT_CARD] 2029")
    }
}

@Suite("Masking detectors: US SSNs")
struct MaskingSSNTests {
    @Test("masks dashed and spaced SSNs", arguments: ["123-45-6789", "123 45 6789", "899-99-0001"])
    func truePositives(ssn: String) {
        #expect(MaskingFixtures.only(.usSSN, "ssn \(ssn).") == "ssn [US_SSN].")
    }

    @Test(
        "rejects unissued areas, groups, serials, advertising numbers and bare digits",
        arguments: [
            "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000", "078-05-1120",
            "219-09-9999", "123456789", "123-45 6789", "1123-45-6789", "123-45-67890", "2024-01-15",
        ])
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.usSSN, text) == text)
    }
}

@Suite("Masking detectors: email")
struct MaskingEmailTests {
    @Test(
        "masks practical addresses",
        arguments: [
            "alice@example.com", "first.last+tag@mail.example.co.uk", "x_y-z%1@sub-domain.io", "a@xn--p1ai.xn--p1ai",
        ]
    )
    func truePositives(address: String) {
        #expect(MaskingFixtures.only(.email, "to <\(address)>") == "to <[EMAIL]>")
    }

    @Test("leaves a sentence's final dot outside the match")
    func trailingDot() {
        #expect(MaskingFixtures.only(.email, "write to bob@example.org.") == "write to [EMAIL].")
    }

    @Test(
        "rejects addresses without a real domain",
        arguments: [
            "a@b", "bob@localhost", "x@y.c", "user@host.123", ".@example.com", "a..b@example.com", "@example.com",
        ]
    )
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.email, text) == text)
    }
}

@Suite("Masking detectors: phone numbers")
struct MaskingPhoneTests {
    @Test(
        "masks E.164 and North American numbers",
        arguments: [
            "+1 (415) 555-0132", "+44 20 7946 0958", "+4915112345678", "(415) 555-0132", "415-555-0132",
            "415.555.0132", "1-415-555-0132",
        ])
    func truePositives(phone: String) {
        #expect(MaskingFixtures.only(.phone, "call \(phone) now") == "call [PHONE] now")
    }

    @Test(
        "ignores dates, versions, IP addresses, plain integers and invalid area codes",
        arguments: [
            "2024-01-15", "2024-01-15 10:22:01", "1.2.3", "192.168.100.200", "4155550132", "123456789012345",
            "155-555-0132", "415-155-0132", "415-555.0132", "+12345", "v415-555-0132",
        ])
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.phone, text) == text)
    }
}

@Suite("Masking detectors: IBAN")
struct MaskingIBANTests {
    @Test(
        "masks valid IBANs, compact or grouped",
        arguments: [
            "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
            "FR1420041010050500013M02606", "NL91ABNA0417164300", "NO9386011117947",
        ])
    func truePositives(iban: String) {
        #expect(MaskingFixtures.only(.iban, "iban: \(iban);") == "iban: [IBAN];")
    }

    @Test(
        "rejects a wrong digit, a wrong length and unknown countries",
        arguments: [
            "DE89 3704 0044 0532 0130 01", "DE8937040044053201300", "ZZ89370400440532013000", "XDE89370400440532013000",
        ]
    )
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.iban, text) == text)
    }
}

@Suite("Masking detectors: IP addresses")
struct MaskingIPAddressTests {
    @Test(
        "masks IPv4 and IPv6 addresses",
        arguments: [
            "192.168.1.10", "10.0.0.1", "255.255.255.255", "2001:db8::8a2e:370:7334",
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128",
        ])
    func truePositives(address: String) {
        #expect(MaskingFixtures.only(.ipAddress, "from \(address), ok") == "from [IP_ADDRESS], ok")
    }

    @Test(
        "rejects versions, bad octets, clock times and MAC addresses",
        arguments: [
            "1.2.3", "v1.2.3.4", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "12:30:45", "00:1a:2b:3c:4d:5e",
            "2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "std::vector",
        ])
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.ipAddress, text) == text)
    }
}

@Suite("Masking detectors: JWTs and private keys")
struct MaskingTokenTests {
    @Test("masks a JWT whose header names an algorithm")
    func jwt() {
        let text = "Authorization: Bearer \(MaskingFixtures.jwt)"
        #expect(MaskingFixtures.only(.jwt, text) == "Authorization: Bearer [JWT]")
    }

    @Test(
        "rejects dotted strings that are not JWTs",
        arguments: [
            "eyJmb28iOiJiYXIiLCJ0eXAiOiJ4In0.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "a.b.c", "www.example.com",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.sig.extra", "eyJhbGciOiJIUzI1NiIsInR5cCI6Ik!.x.y",
        ])
    func jwtNearMisses(text: String) {
        #expect(MaskingFixtures.only(.jwt, text) == text)
    }

    @Test(
        "masks PEM private keys of every flavour through the matching END line",
        arguments: ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    func privateKey(label: String) {
        let key = "-----BEGIN \(label)-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQUFBQUJBQUFB\n-----END \(label)-----"
        #expect(MaskingFixtures.only(.privateKey, "key:\n\(key)\ndone") == "key:\n[PRIVATE_KEY]\ndone")
    }

    @Test("masks a truncated key to the end and leaves certificates alone")
    func privateKeyEdges() {
        #expect(MaskingFixtures.only(.privateKey, "x -----BEGIN PRIVATE KEY-----\nAAAA") == "x [PRIVATE_KEY]")
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        #expect(MaskingFixtures.only(.privateKey, certificate) == certificate)
    }
}

@Suite("Masking detectors: cloud keys and secrets")
struct MaskingCloudKeyTests {
    @Test(
        "masks prefixed provider credentials with the provider's label",
        arguments: [
            ("AKIAIOSFODNN7EXAMPLE", "[AWS_KEY]"), ("ASIAY34FZKBOKMUTVV7A", "[AWS_KEY]"),
            ("ghp_" + String(repeating: "aB3", count: 12), "[GITHUB_TOKEN]"),
            ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[GITHUB_TOKEN]"),
            ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "[SLACK_TOKEN]"),
            ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "[SLACK_TOKEN]"),
            ("sk_live_" + String(repeating: "4eC39HqLyjWDarjtT1zdp7dc", count: 1), "[STRIPE_KEY]"),
        ])
    func prefixed(secret: String, token: String) {
        #expect(MaskingFixtures.only(.cloudKeys, "value \(secret) end") == "value \(token) end")
    }

    @Test("masks an AWS secret access key next to its label")
    func awsSecret() {
        let text = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        #expect(MaskingFixtures.only(.cloudKeys, text) == "aws_secret_access_key = [AWS_KEY]")
    }

    @Test(
        "masks high-entropy values that are labelled or mix character classes",
        arguments: [
            "api_key=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo", "\"token\": \"k8Jd2LmQ9xTzW4vRb7NcYp3HsFg6AeKu\"",
            "secret: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "blob k8Jd2LmQ9xTzW4vRb7NcYp3HsFg6AeKu",
        ])
    func generic(text: String) {
        let masked = MaskingFixtures.only(.cloudKeys, text)
        #expect(masked.contains("[SECRET]"))
        #expect(!masked.contains("k8Jd2LmQ") && !masked.contains("Zm9vYmFy") && !masked.contains("e3b0c442"))
    }

    @Test(
        "leaves commit ids, digests, short or low-entropy strings and prefix look-alikes alone",
        arguments: [
            "commit 9fceb02d0ae598e95dc970b74dd8a1e4a2b1f6c3",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "password=hunter2", "token: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "AKIAIOSFODNN7EXAMPLEX", "ghp_short",
            "sk_live_short", "/usr/local/lib/swift/linux/libFoundationEssentials.so",
            "550e8400-e29b-41d4-a716-446655440000",
        ])
    func nearMisses(text: String) {
        #expect(MaskingFixtures.only(.cloudKeys, text) == text)
    }
}
