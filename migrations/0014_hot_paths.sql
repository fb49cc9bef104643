-- The item page and the save, exam day's two hot requests, each check the
-- session in the same statement that reads or writes the item: one round
-- trip instead of two. These functions hold the rules those statements
-- share with the rest, so each rule is written once. Both are plain SQL,
-- which the planner inlines into the statement that calls them.

-- A live session's user: the token's session, seen within the idle limit,
-- made within the absolute limit, of an account not disabled (disabling
-- deletes the sessions too; this holds even if one slipped by).
CREATE FUNCTION live_session(token_hash bytea, seen_after timestamptz, made_after timestamptz)
RETURNS TABLE (user_id uuid, last_seen_at timestamptz)
LANGUAGE sql STABLE
AS $$
    SELECT s.user_id, s.last_seen_at
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = live_session.token_hash
      AND s.last_seen_at > live_session.seen_after
      AND s.created_at > live_session.made_after
      AND u.disabled_at IS NULL
$$;

-- An item as the application reads it (`store::attempts::Item`).
CREATE FUNCTION item_state(i items) RETURNS json
LANGUAGE sql STABLE
AS $$
    SELECT json_build_object(
        'position', i.position, 'version_id', i.version_id, 'domain', i.domain,
        'scored', i.scored, 'option_order', i.option_order, 'response', i.response,
        'answered', i.answered, 'flagged', i.flagged, 'struck', i.struck, 'seq', i.seq,
        'checked', i.checked_at IS NOT NULL, 'correct', i.correct,
        'confidence', i.confidence)
$$;
