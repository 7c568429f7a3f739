import { Type } from '@sinclair/typebox';
import { Body, Email, Name, Password } from '../../lib/schemas.ts';
import { Organization } from '../organization/organization.schemas.ts';

export const SessionView = Type.Object(
  {
    kind: Type.Union([Type.Literal('user'), Type.Literal('driver')]),
    user: Type.Union([
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        email: Type.String(),
        role: Type.String(),
        isReadOnly: Type.Boolean(),
      }),
      Type.Null(),
    ]),
    workerId: Type.Union([Type.String(), Type.Null()]),
    organization: Type.Ref(Organization),
    courier: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), image: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], {
      description: 'For client organizations: the courier that serves it',
    }),
  },
  { $id: 'Session', title: 'Session' },
);

export const SignInBody = Body({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) });

export const SetupBody = Body({
  organizationName: Name(),
  name: Name(),
  email: Email,
  password: Password,
  country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const AuthTestResponse = Type.Object({ message: Type.String() });
