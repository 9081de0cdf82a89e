-- The bookings of the 2026-12-02 figures, on a database where `lieu-api seed --demo` ran and
-- that holds synthetic people (bookers are drawn from all people): psql "$DATABASE_URL" -f bench/data.sql
-- 50 flat rooms and 200,000 non-overlapping bookings (50 x 800 days x 5 slots) from 2025-09-01.
INSERT INTO spaces (id, site_id, name, kind, capacity, created_at, updated_at)
SELECT gen_random_uuid(), (SELECT id FROM sites LIMIT 1), 'Salle ' || lpad(n::text, 2, '0'), 'MEETING_ROOM', 10 + n, now(), now()
FROM generate_series(1, 50) n;
CREATE TEMP TABLE rooms AS SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM spaces WHERE name LIKE 'Salle __';
CREATE TEMP TABLE pp AS SELECT array_agg(id ORDER BY id) a FROM people;
CREATE TEMP TABLE nb AS
SELECT gen_random_uuid() id, r.id space_id,
       timestamptz '2025-09-01 08:00:00+00' + d * interval '1 day' + s * interval '2 hours' AS starts_at,
       timestamptz '2025-09-01 09:30:00+00' + d * interval '1 day' + s * interval '2 hours' AS ends_at,
       (r.k * 4000 + d * 5 + s) AS n
FROM rooms r, generate_series(0, 799) d, generate_series(0, 4) s;
INSERT INTO bookings (id, site_id, space_id, starts_at, ends_at, title, status, person_id, tier, price_cents, created_at, confirmed_at)
SELECT nb.id, (SELECT id FROM sites LIMIT 1), space_id, starts_at, ends_at, 'Réunion ' || n, 'CONFIRMED',
       pp.a[1 + (n % cardinality(pp.a))], 'PUBLIC', 0, starts_at - interval '7 days', starts_at - interval '7 days'
FROM nb, pp;
INSERT INTO booking_blocks (booking_id, space_id, starts_at, ends_at) SELECT id, space_id, starts_at, ends_at FROM nb;
ANALYZE;
