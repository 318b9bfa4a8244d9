// Hands out group ids no other tester run can also get: proposes the clock's sequence number (see
// group-ids.ts) and claims each of the group's numbers in the users bucket with a conditional
// create; a number someone else holds is skipped. The claim object records who took it and when.
import { hostname } from 'node:os';
import type { InstrumentName } from '../../service/domain/instruments';
import { claimKey, firstCandidateSeq, type GroupIds, groupIdsFor, maxSeq, testerDayObs } from './group-ids';

export interface ClaimStore {
  claim(key: string, body: string): Promise<boolean>;
}

export class GroupIdAllocator {
  /** Next seq to try per day_obs: a run never re-proposes numbers it has passed. */
  private readonly next = new Map<number, number>();

  constructor(
    private readonly store: ClaimStore,
    private readonly instrument: InstrumentName,
    private readonly runId: string,
  ) {}

  async allocate(snaps: number, taiUnixSeconds: number): Promise<GroupIds> {
    const dayObs = testerDayObs(taiUnixSeconds);
    let seq = Math.max(this.next.get(dayObs) ?? 0, firstCandidateSeq(this.instrument, taiUnixSeconds));
    for (;;) {
      const ids = groupIdsFor(this.instrument, dayObs, seq, snaps); // throws when the night is full
      const claimed = await this.claimAll(dayObs, seq, snaps, ids.groupId);
      this.next.set(dayObs, seq + snaps);
      if (claimed) return ids;
      seq += snaps;
      if (seq > maxSeq(this.instrument)) seq = maxSeq(this.instrument) + 1; // let groupIdsFor say so
    }
  }

  private async claimAll(dayObs: number, seq: number, snaps: number, groupId: string): Promise<boolean> {
    const body = JSON.stringify({ groupId, run: this.runId, host: hostname() });
    for (let i = 0; i < snaps; i++) {
      if (!(await this.store.claim(claimKey(this.instrument, dayObs, seq + i), body))) return false;
    }
    return true;
  }
}
