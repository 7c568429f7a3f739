import { Type } from '@sinclair/typebox';
import { Body, Email, Name } from '../../lib/schemas.ts';

export const Organization = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    country: Type.String(),
    timezone: Type.String(),
    image: Type.Union([Type.String({ description: 'URL of the logo' }), Type.Null()]),
    kind: Type.Union([Type.Literal('courier'), Type.Literal('client')]),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Organization', title: 'Organization' },
);

export const UpdateOrganizationBody = Body({
  name: Type.Optional(Name()),
  email: Type.Optional(Email),
  country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
