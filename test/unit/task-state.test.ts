import { describe, expect, it } from 'vitest';
import { deriveOrderStatus, orderEditable } from '../../src/server/modules/orders/order-status.ts';
import { TaskState, transition, wouldCycle, type TaskAction, type TaskStateValue } from '../../src/server/modules/tasks/task-state.ts';

const U = TaskState.Unassigned;
const A = TaskState.Assigned;
const X = TaskState.Active;
const C = TaskState.Completed;
const STATES: TaskStateValue[] = [U, A, X, C];

const goodStart = { type: 'start', byAssignedWorker: true, workerOnDuty: true, dependenciesSucceeded: true } as const;
const goodComplete = { type: 'complete', by: 'worker', byAssignedWorker: true, dependenciesSucceeded: true } as const;

// Every action against every state: the resulting state, or null when refused.
const TABLE: Array<[string, TaskAction, Array<TaskStateValue | null>]> = [
  ['assign to a worker', { type: 'assignWorker' }, [A, A, null, null]],
  ['move to a team or the organization', { type: 'assignContainer' }, [U, U, null, null]],
  ['unassign', { type: 'unassign' }, [U, U, null, null]],
  ['start', goodStart, [null, X, null, null]],
  ['complete (driver)', goodComplete, [null, null, C, null]],
  ['force-complete (dispatcher)', { type: 'complete', by: 'dispatcher', byAssignedWorker: false, dependenciesSucceeded: true }, [null, null, C, null]],
  ['update', { type: 'update' }, [U, A, X, null]],
  ['delete', { type: 'delete' }, [U, A, null, null]],
  ['clone', { type: 'clone' }, [U, U, U, U]],
  ['cancel', { type: 'cancel' }, [C, C, null, null]],
];

describe('task state machine', () => {
  for (const [name, action, expected] of TABLE) {
    for (const [i, from] of STATES.entries()) {
      const want = expected[i];
      it(`${name} from state ${from} → ${want === null ? 'refused' : want}`, () => {
        const r = transition(from, action);
        if (want === null) {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
        } else {
          expect(r).toEqual({ ok: true, state: want });
        }
      });
    }
  }

  it('refuses to start a task for a driver it is not assigned to, off duty, or before its pickup succeeded', () => {
    expect(transition(A, { ...goodStart, byAssignedWorker: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/assigned to/) });
    expect(transition(A, { ...goodStart, workerOnDuty: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/on duty/) });
    expect(transition(A, { ...goodStart, dependenciesSucceeded: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/depends on/) });
  });

  it('refuses to complete for another driver or before dependencies succeeded; a dispatcher may force-complete', () => {
    expect(transition(X, { ...goodComplete, byAssignedWorker: false }).ok).toBe(false);
    expect(transition(X, { ...goodComplete, dependenciesSucceeded: false }).ok).toBe(false);
    expect(transition(X, { type: 'complete', by: 'dispatcher', byAssignedWorker: false, dependenciesSucceeded: true }).ok).toBe(true);
  });

  it('detects dependency cycles', () => {
    const edges = new Map([
      ['b', ['a']],
      ['c', ['b']],
    ]);
    expect(wouldCycle(edges, 'a', ['c'])).toBe(true);
    expect(wouldCycle(edges, 'a', ['a'])).toBe(true);
    expect(wouldCycle(edges, 'd', ['c'])).toBe(false);
  });
});

describe('order status', () => {
  const t = (state: number, success: boolean | null = null, hasWorker = false) => ({ state, success, hasWorker });
  it.each([
    ['unassigned', t(U), t(U), null],
    ['assigned', t(A, null, true), t(A, null, true), null],
    ['assigned', t(U), t(A, null, true), null],
    ['in_progress', t(X, null, true), t(A, null, true), null],
    ['in_progress', t(C, true, true), t(A, null, true), null],
    ['in_progress', t(C, true, true), t(X, null, true), null],
    ['completed', t(C, true, true), t(C, true, true), null],
    ['failed', t(C, false, true), t(A, null, true), null],
    ['failed', t(C, true, true), t(C, false, true), null],
    ['cancelled', t(C, false), t(C, false), 'cancelled'],
    ['rejected', t(U), t(U), 'rejected'],
  ] as const)('is %s', (want, pickup, dropoff, decision) => {
    expect(deriveOrderStatus(pickup, dropoff, decision)).toBe(want);
  });

  it('is editable only until the pickup starts', () => {
    expect(orderEditable('unassigned')).toBe(true);
    expect(orderEditable('assigned')).toBe(true);
    for (const s of ['in_progress', 'completed', 'failed', 'cancelled', 'rejected'] as const) expect(orderEditable(s)).toBe(false);
  });
});
