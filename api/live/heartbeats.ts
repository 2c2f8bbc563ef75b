// One timer per heartbeat period for every open stream, instead of one sleeping timer per stream: with
// thousands of live badges the per-stream timers (and the promises waiting on them) were a large part
// of each connection's memory. Members are objects with a method, not callbacks, so a stream costs one
// set entry here and no closure.

export interface Beating {
  heartbeat(): void;
}

const groups = new Map<number, { members: Set<Beating>; timer: ReturnType<typeof setInterval> }>();

/** Beats `member` every `periodMs` until leaveHeartbeat. The timer runs only while a stream of that
 * period is open, and never keeps the process alive by itself. */
export function joinHeartbeat(periodMs: number, member: Beating): void {
  let group = groups.get(periodMs);
  if (!group) {
    const members = new Set<Beating>();
    const timer = setInterval(() => {
      for (const m of members) m.heartbeat();
    }, periodMs);
    timer.unref?.();
    groups.set(periodMs, (group = { members, timer }));
  }
  group.members.add(member);
}

export function leaveHeartbeat(periodMs: number, member: Beating): void {
  const group = groups.get(periodMs);
  if (!group) return;
  group.members.delete(member);
  if (group.members.size === 0) {
    clearInterval(group.timer);
    groups.delete(periodMs);
  }
}
