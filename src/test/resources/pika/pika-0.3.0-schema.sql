-- The Pika! 0.3.0 schema as data.md §2 describes it without the parts marked new/wider: polls.id serial,
-- poll_votes.poll_id integer, no played_tracks.track_key, no tempo_votes.played_track_id, no new indexes.
CREATE TABLE dj_users (
  id            serial PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  slug          text NOT NULL UNIQUE,
  created_at    timestamp NOT NULL DEFAULT now());
CREATE TABLE dj_tokens (
  id          serial PRIMARY KEY,
  dj_user_id  integer NOT NULL REFERENCES dj_users(id) ON DELETE CASCADE,
  token       text NOT NULL UNIQUE,
  name        text DEFAULT 'Default',
  last_used   timestamp,
  created_at  timestamp NOT NULL DEFAULT now());
CREATE TABLE sessions (
  id          text PRIMARY KEY,
  dj_user_id  integer REFERENCES dj_users(id),
  dj_name     text NOT NULL,
  started_at  timestamp NOT NULL DEFAULT now(),
  ended_at    timestamp);
CREATE INDEX idx_sessions_dj_user_id ON sessions (dj_user_id);
CREATE INDEX idx_sessions_dj_history ON sessions (dj_user_id, started_at);
CREATE TABLE played_tracks (
  id           serial PRIMARY KEY,
  session_id   text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  artist       text NOT NULL,
  title        text NOT NULL,
  bpm          integer,
  key          text,
  energy       integer, danceability integer, brightness integer,
  acousticness integer, groove integer,
  played_at    timestamp NOT NULL DEFAULT now());
CREATE INDEX idx_played_tracks_artist_title ON played_tracks (artist, title);
CREATE TABLE likes (
  id              serial PRIMARY KEY,
  session_id      text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  client_id       text,
  played_track_id integer NOT NULL REFERENCES played_tracks(id) ON DELETE CASCADE,
  created_at      timestamp NOT NULL DEFAULT now());
CREATE INDEX idx_likes_session_id      ON likes (session_id);
CREATE INDEX idx_likes_client_id       ON likes (client_id);
CREATE INDEX idx_likes_played_track_id ON likes (played_track_id);
CREATE TABLE tempo_votes (
  id              serial PRIMARY KEY,
  session_id      text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  track_artist    text NOT NULL,
  track_title     text NOT NULL,
  slower_count    integer NOT NULL DEFAULT 0,
  perfect_count   integer NOT NULL DEFAULT 0,
  faster_count    integer NOT NULL DEFAULT 0,
  created_at      timestamp NOT NULL DEFAULT now());
CREATE INDEX idx_tempo_votes_session_id ON tempo_votes (session_id);
CREATE TABLE polls (
  id                   serial PRIMARY KEY,
  session_id           text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  question             text NOT NULL,
  options              json NOT NULL,
  status               text NOT NULL DEFAULT 'active',
  current_track_artist text,
  current_track_title  text,
  started_at           timestamp NOT NULL DEFAULT now(),
  ended_at             timestamp);
CREATE INDEX idx_polls_session_id ON polls (session_id);
CREATE TABLE poll_votes (
  id           serial PRIMARY KEY,
  poll_id      integer NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  client_id    text NOT NULL,
  option_index integer NOT NULL,
  voted_at     timestamp NOT NULL DEFAULT now(),
  CONSTRAINT poll_votes_poll_id_client_id_unique UNIQUE (poll_id, client_id));
CREATE INDEX idx_poll_votes_poll_id ON poll_votes (poll_id);
CREATE TABLE session_events (
  id          serial PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  event_type  text NOT NULL,
  "timestamp" timestamp NOT NULL DEFAULT now(),
  metadata    json);
CREATE INDEX idx_session_events_session_id ON session_events (session_id);
CREATE TABLE push_subscriptions (
  endpoint        text PRIMARY KEY,
  p256dh          text NOT NULL,
  auth            text NOT NULL,
  client_id       text,
  user_id         integer REFERENCES dj_users(id),
  created_at      timestamp NOT NULL DEFAULT now(),
  unsubscribed_at timestamp);
