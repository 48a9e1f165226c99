import HoopCore
import Masking

extension ResourceInfo {
    /// What `GET /v1/resources` says about `resource`: its policy as its users meet it, never its address or
    /// credentials.
    init(describing resource: ResourceConfig) {
        self.init(
            name: resource.name, type: resource.type, maxSessionSeconds: Int(resource.maxSession),
            guardrails: resource.guardrails.map { rule in
                switch rule.action {
                case .block:
                    GuardrailInfo(name: rule.name, action: .block)
                case .requireApproval(let requirement):
                    GuardrailInfo(name: rule.name, action: .requireApproval, approvers: requirement.approvers)
                }
            },
            sessionApprovers: resource.sessionApproval?.approvers,
            masked: resource.masking != nil,
            maskedColumns: resource.masking.map { policy in
                policy.columns.map { MaskedColumnInfo(pattern: $0.name, strategy: $0.strategy.spelling) }
            })
    }
}
