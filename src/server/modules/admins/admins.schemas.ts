import { Type } from '@sinclair/typebox';
import { Body, Email, Id, Name, Password } from '../../lib/schemas.ts';

export const AdminType = Type.Union([Type.Literal('super'), Type.Literal('standard')]);

export const Admin = Type.Object(
  {
    id: Type.String(),
    organization: Type.String(),
    email: Type.String(),
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    type: AdminType,
    isAccountOwner: Type.Boolean(),
    isReadOnly: Type.Boolean(),
    isActive: Type.Boolean(),
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')]),
    teams: Type.Array(Type.String()),
    metadata: Type.Array(Type.Unknown()),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
    timeLastSignIn: Type.Union([Type.Number(), Type.Null()]),
  },
  { $id: 'Admin', title: 'Admin' },
);

export const CreateAdminBody = Body({
  name: Name(),
  email: Email,
  type: Type.Optional(AdminType),
  isReadOnly: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  teams: Type.Optional(Type.Array(Id(), { maxItems: 500 })),
});

export const UpdateAdminBody = Body({
  name: Type.Optional(Name()),
  type: Type.Optional(AdminType),
  isReadOnly: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  teams: Type.Optional(Type.Array(Id(), { maxItems: 500 })),
});

export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) });

export const AdminInvitation = Type.Object({
  organizationName: Type.String(),
  name: Type.String(),
  email: Type.String(),
});

export const AcceptAdminInvitationBody = Body({ name: Type.Optional(Name()), password: Password });
