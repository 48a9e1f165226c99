import Crypto
import HoopCore

/// PostgreSQL's md5 password answer: `"md5" + md5hex(md5hex(password + user) + salt)`. Weak, but some targets still
/// use it; the broker speaks it only toward the target, never asks a client for it.
enum MD5Password {
    static func response(user: String, password: String, salt: [UInt8]) -> String {
        let inner = Insecure.MD5.hash(data: Array((password + user).utf8)).hexString
        return "md5" + Insecure.MD5.hash(data: Array(inner.utf8) + salt).hexString
    }
}
