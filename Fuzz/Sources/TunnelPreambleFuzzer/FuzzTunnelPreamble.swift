import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1

@testable import Broker
@testable import HoopCore

/// One libFuzzer input: the bytes a client sends first on the broker's listener, the HTTP request that asks for
/// `Upgrade: hoop-tunnel/1`. NIO's HTTP/1 parser reads it, as on the listener; the broker's own reading of it
/// (the grant from `Authorization`, the approval mode from `Hoop-Approval-Mode` and `Hoop-Approval`) must:
/// - give a grant only for a `Bearer` credential, never with surrounding whitespace;
/// - not wait only when the mode header says `no-wait` (in any case), and name a pre-approved request only when
///   the approval header is a number.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTunnelPreamble(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    do {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: input.rest()))
    } catch {
        // NIO's parser refused the request; the broker never sees it.
    }
    while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
        guard case .head(let head) = part else { continue }
        checkGrant(head.headers)
        checkApprovalMode(head.headers)
    }
    return 0
}

func checkGrant(_ headers: HTTPHeaders) {
    guard let grant = TunnelServerUpgrader.bearer(headers) else { return }
    let authorization = headers.first(name: "authorization") ?? ""
    require(authorization.lowercased().hasPrefix("bearer "), "\(authorization.debugDescription) gave a grant")
    require(
        grant == grant.trimmingCharacters(in: .whitespaces),
        "the grant \(grant.debugDescription) keeps surrounding whitespace")
}

func checkApprovalMode(_ headers: HTTPHeaders) {
    let modeHeader = headers.first(name: ApprovalHeader.mode)
    let approvalHeader = headers.first(name: ApprovalHeader.approval)
    let mode = ApprovalMode(modeHeader: modeHeader, approvalHeader: approvalHeader)
    require(mode.wait == (modeHeader?.lowercased() != "no-wait"), "mode header \(modeHeader ?? "none") read wrong")
    if let approval = mode.preapproved {
        require(
            approvalHeader.map { Int64($0.trimmingCharacters(in: .whitespaces)) } == approval,
            "approval header \(approvalHeader ?? "none") read as \(approval)")
    }
}
