/// The commented configuration `hoopctl broker init` writes. It works as written against the demo identity provider
/// (`testing/idp`) on 127.0.0.1:9400, and every key it shows is one the loader accepts.
package enum StarterConfig {
    package static let text = """
        # hoopctl broker configuration. Every key, with its default, is documented in docs/config.md.
        # Environment overrides: HOOP_LISTEN, HOOP_DATA_DIR, HOOP_LOG_LEVEL.

        # One HTTPS port serves the JSON API and the tunnels.
        listen: 127.0.0.1:8443

        # Store (SQLite), TLS CA and certificate, audit and grant keys, recordings. Created on first start, mode 0700.
        data_dir: ./.hoop-broker

        # Members of these groups may list and revoke everyone's sessions.
        admin_groups: [admins]
        # Members of these groups export audit evidence and replay anyone's sessions.
        # auditor_groups: [audit]
        # log_level: info
        # On SIGTERM/SIGINT, how long open tunnel connections get to finish (a second signal stops at once).
        # shutdown_grace: 10s

        # Trusted OIDC issuers. Access tokens are verified against each issuer's discovery document and JWKS.
        identity:
          - issuer: http://127.0.0.1:9400     # http is accepted for loopback issuers only
            audience: hoop                    # tokens must carry this in `aud`
            groups_claim: groups              # claim holding the caller's groups
            # email_claim: email
            # algorithms: [RS256, ES256, EdDSA]   # pinned; symmetric algorithms are never accepted
            # cli_client_id: hoopctl              # public client used by `hoopctl login` (device flow)
            # leeway: 60s                         # clock skew tolerated on exp/nbf
            # jwks_cache_ttl: 1h                  # cached keys keep working this long if the issuer is down
            # jwks_refresh_min_interval: 30s      # spacing of refetches on an unknown kid

        # What sessions can be opened to. `allow_groups` lists who may; `max_session` caps a grant's lifetime.
        resources:
          - name: pg-demo
            type: tcp                         # later: postgres, mysql, ssh, http
            address: 127.0.0.1:55432
            allow_groups: [eng, agents]
            max_session: 1h
          # A PostgreSQL resource: clients log in with a per-session password `hoopctl connect` prints; the broker
          # logs in to the target with credentials it holds (SCRAM-SHA-256, md5 or cleartext) and records every
          # statement with its result.
          # - name: pg-prod
          #   type: postgres
          #   address: 127.0.0.1:5432
          #   database: app
          #   username: app_reader
          #   password_env: PG_PROD_PASSWORD      # or password_file; never sent to clients, logged or recorded
          #   tls: prefer                          # disable | prefer | require | verify-full (with ca_file)
          #   record_rows: 100                     # result rows kept per statement in the recording
          #   allow_groups: [eng]
          #   session_approval: { approvers: [dba], min_approvals: 1 }   # every session waits for approval
          #   masking:                             # values masked in results and recordings
          #     detectors: [email, payment_card, us_ssn, phone, iban, jwt, private_key, cloud_keys]
          #     strategy: redact                   # redact | partial | hash
          #     columns: { "users.ssn": redact, "*.email": partial }
          #   guardrails:                          # statements are judged by class, table and function
          #     - name: ddl
          #       match: [drop, truncate, alter, rename, grant, revoke]
          #       action: require_approval
          #       approvers: [dba]
          #     # Code that runs later (non-SQL functions, triggers, rules, extensions) and role switches.
          #     - name: routines
          #       match: [define_routine, set_role]
          #       action: require_approval
          #       approvers: [dba]
          #     - match: [delete_without_where, update_without_where, copy_program]
          #       action: block
          # An SSH resource: clients log in with a per-session password `hoopctl connect` prints; the broker logs in
          # with a key it holds after checking the target's host key, and records commands and terminal output.
          # - name: web-1
          #   type: ssh
          #   address: 127.0.0.1:22
          #   username: deploy
          #   private_key_file: /etc/hoop/keys/web-1   # Ed25519/ECDSA; or password_env / password_file
          #   host_key: "ssh-ed25519 AAAA..."          # pinned (ssh-keyscan -t ed25519 HOST); or known_hosts_file
          #   allow_shell: false                       # exec only unless true
          #   allow_sftp: true
          #   allow_port_forwarding: false
          #   allow_groups: [eng]
          #   guardrails:                              # exec commands, judged as the target's shell reads them
          #     - match: [recursive_delete, disk_write, privilege_escalation]
          #       action: block                        # what the judge cannot read is refused too

        # Operator-supplied certificate instead of the broker's own CA:
        # tls:
        #   cert_file: /etc/hoop/broker-chain.pem
        #   key_file: /etc/hoop/broker-key.pem

        # Approval timing and approver notifications:
        # approvals:
        #   timeout: 15m                      # an undecided request expires
        #   use_within: 15m                   # an approved request not used in time expires
        #   notify:
        #     - group: dba
        #       url: https://hooks.example.com/hoop

        # Recordings of sessions that ended longer ago are replaced by signed tombstones:
        # retention:
        #   recordings: 90d

        # Checkpoints, witnesses, and the audit signing key outside the data dir it protects
        # (default: data_dir/keys/audit-ed25519.key):
        # audit:
        #   checkpoint_every: 100
        #   checkpoint_interval: 60s
        #   witnesses:
        #     - url: http://witness.example.com:7380
        #       key: witness+...
        #   signing_key_file: /run/secrets/hoop-audit.key   # or signing_key_env: HOOP_AUDIT_KEY
        #   # or an HSM/KMS front end that signs stdin and prints the base64 signature:
        #   # signing_command: [/usr/local/bin/hoop-sign]
        #   # public_key: ed25519:...

        """
}
