import { Type, type Static } from '@sinclair/typebox';
import { Body, Email } from '../../lib/schemas.ts';

const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' });
const LogoUrl = Type.String({ maxLength: 500, pattern: '^https?://\\S+$', description: 'An image URL (http or https)' });

const settingsFields = {
  logo: Type.Union([LogoUrl, Type.Null()], { description: 'null: the organization’s own logo' }),
  primaryColor: Color,
  headline: Type.String({ maxLength: 120 }),
  message: Type.String({ maxLength: 1000 }),
  contactPhone: Type.Union([Type.String({ maxLength: 32, pattern: '^[0-9+()\\-. ]*$' }), Type.Null()]),
  contactEmail: Type.Union([Email, Type.Null()]),
  showDriverName: Type.Boolean(),
  showDriverPhoto: Type.Boolean(),
  showDriverLocation: Type.Boolean(),
  showProofOfDelivery: Type.Boolean(),
  feedbackEnabled: Type.Boolean(),
};

export const TrackingPageSettings = Type.Object({
  ...settingsFields,
  inherited: Type.Boolean({ description: 'true when the organization set nothing and these are the defaults (a client’s courier’s page)' }),
});
export type Settings = Omit<Static<typeof TrackingPageSettings>, 'inherited'>;

export const UpdateTrackingPageBody = Type.Partial(Body(settingsFields));
export type UpdateSettingsInput = Static<typeof UpdateTrackingPageBody>;

const Point = Type.Tuple([Type.Number(), Type.Number()], { description: '[longitude, latitude]' });

export const Tracking = Type.Object({
  shortId: Type.String(),
  kind: Type.Union([Type.Literal('pickup'), Type.Literal('dropoff')]),
  status: Type.Union(['scheduled', 'assigned', 'onTheWay', 'completed', 'failed', 'cancelled'].map((s) => Type.Literal(s))),
  merchantName: Type.String(),
  branding: Type.Object({
    logo: Type.Union([Type.String(), Type.Null()]),
    primaryColor: Type.String(),
    headline: Type.String(),
    message: Type.String(),
    contactPhone: Type.Union([Type.String(), Type.Null()]),
    contactEmail: Type.Union([Type.String(), Type.Null()]),
  }),
  destination: Type.Object({ address: Type.String(), location: Type.Union([Point, Type.Null()]) }),
  eta: Type.Union([Type.Number(), Type.Null()], { description: 'Estimated arrival (Unix ms), only while on the way' }),
  completeAfter: Type.Union([Type.Number(), Type.Null()]),
  completeBefore: Type.Union([Type.Number(), Type.Null()]),
  timeline: Type.Array(
    Type.Object({
      event: Type.Union(['created', 'pickedUp', 'started', 'completed', 'failed', 'cancelled'].map((s) => Type.Literal(s))),
      time: Type.Number(),
    }),
  ),
  driver: Type.Union([Type.Object({ name: Type.Union([Type.String(), Type.Null()]), location: Type.Union([Point, Type.Null()]) }), Type.Null()], {
    description: 'Only while the task is under way; name and position only as the merchant allows',
  }),
  proof: Type.Union([
    Type.Object({ notes: Type.Union([Type.String(), Type.Null()]), photo: Type.Union([Type.String(), Type.Null()]), signature: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  feedback: Type.Object({ enabled: Type.Boolean(), submitted: Type.Boolean() }),
  timeLastModified: Type.Number(),
});
export type TrackingView = Static<typeof Tracking>;

export const ShortIdParams = Type.Object({ shortId: Type.String({ pattern: '^[0-9a-f]{8}$', description: 'The task’s short id' }) });
export const ProofParams = Type.Object({
  shortId: ShortIdParams.properties.shortId,
  which: Type.Union([Type.Literal('photo'), Type.Literal('signature')]),
});

export const FeedbackBody = Body({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comments: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type FeedbackInput = Static<typeof FeedbackBody>;
