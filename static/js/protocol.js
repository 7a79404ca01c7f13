// Sync protocol v1 as the app speaks it: the numbers and names of sync/protocol.py, the
// contract's one home. tests/unit/test_protocol_constants.py fails when a value here differs
// from Python's, or when another module spells one of them out instead of importing it.

export const PROTOCOL_VERSION = 1;

// Per-record outcomes of a push.
export const DUPLICATE = 'duplicate';
export const REJECTED = 'rejected';
export const CONFLICT = 'conflict';
export const ACCEPTED = 'accepted';

/** Roles that may push: the only ones this app is for. */
export const PUSH_ROLES = ['collector', 'village_head'];
