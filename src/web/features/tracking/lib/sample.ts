import type { Tracking, TrackingBranding } from '../api/types.ts';

export type SampleScene = 'onTheWay' | 'completed';

const MIN = 60_000;

const svg = (body: string, w: number, h: number) =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}</svg>`)}`;

/** A drawn parcel on a doorstep, standing in for the driver's photo. */
const SAMPLE_PHOTO = svg(
  '<rect width="320" height="200" fill="#dee2e6"/><rect y="150" width="320" height="50" fill="#adb5bd"/>' +
    '<rect x="40" y="20" width="90" height="130" fill="#868e96"/><circle cx="118" cy="88" r="4" fill="#495057"/>' +
    '<rect x="170" y="95" width="90" height="65" fill="#c08a4b"/><rect x="208" y="95" width="14" height="65" fill="#e9c46a"/>',
  320,
  200,
);

/** A scribbled signature. */
const SAMPLE_SIGNATURE = svg(
  '<rect width="320" height="120" fill="#fff"/>' +
    '<path d="M20 80 C40 20, 60 20, 70 70 S100 110, 120 60 S150 30, 165 70 S200 95, 215 55 C225 35, 240 40, 250 70 S280 85, 300 60" ' +
    'fill="none" stroke="#1a1b1e" stroke-width="3" stroke-linecap="round"/>',
  320,
  120,
);

export interface SampleInput {
  branding: TrackingBranding;
  merchantName: string;
  showDriverName: boolean;
  showDriverLocation: boolean;
  showProofOfDelivery: boolean;
  feedbackEnabled: boolean;
  scene: SampleScene;
  now: number;
}

/** A made-up delivery that shows the customizer's current values: on its way with Alex, or just delivered. */
export function sampleTracking(input: SampleInput): Tracking {
  const { now, scene } = input;
  const done = scene === 'completed';
  const timeline: Tracking['timeline'] = [
    { event: 'created', time: now - 95 * MIN },
    { event: 'pickedUp', time: now - 30 * MIN },
    { event: 'started', time: now - 25 * MIN },
  ];
  if (done) timeline.push({ event: 'completed', time: now - 2 * MIN });
  return {
    shortId: 'a1b2c3d4',
    kind: 'dropoff',
    status: done ? 'completed' : 'onTheWay',
    merchantName: input.merchantName,
    branding: input.branding,
    destination: { address: '24 Harbour Street, Apt 3, Springfield', location: [-0.1, 51.5] },
    eta: done ? null : now + 12 * MIN,
    completeAfter: now - 60 * MIN,
    completeBefore: now + 60 * MIN,
    timeline,
    driver: done ? null : { name: input.showDriverName ? 'Alex' : null, location: input.showDriverLocation ? [-0.12, 51.49] : null },
    proof:
      done && input.showProofOfDelivery
        ? { notes: 'Left with the concierge at the front desk.', photo: SAMPLE_PHOTO, signature: SAMPLE_SIGNATURE }
        : null,
    feedback: { enabled: input.feedbackEnabled, submitted: false },
    timeLastModified: now,
  };
}
