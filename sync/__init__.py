"""The sync protocol v1 (DESIGN §4), importable without Flask: protocol, merge, client."""
