"""The sync protocol v1 (docs/protocol.md), importable without Flask: protocol, merge, client."""
