-- For the peers only (a PostGraphile computed column): an event's seats still free, as
-- Lieu's Event.remainingSeats counts them (capacity minus the seats of CONFIRMED
-- registrations; null when the event has no capacity). Lieu itself never reads it.
CREATE OR REPLACE FUNCTION public.events_remaining_seats(e public.events) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN e.capacity IS NULL THEN NULL ELSE
    greatest(e.capacity - coalesce((SELECT sum(r.seats) FROM public.registrations r
      WHERE r.event_id = e.id AND r.status = 'CONFIRMED'), 0), 0)::integer END
$$;
