import { Type } from '@sinclair/typebox';
import { Body, Email, Id, Name, Password } from '../../lib/schemas.ts';

export const ClientStatus = Type.Union([Type.Literal('pending'), Type.Literal('invited'), Type.Literal('active'), Type.Literal('deleted')]);

export const Client = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    pendingEmail: Type.Union([Type.String(), Type.Null()], { description: 'A new address awaiting the client’s confirmation' }),
    status: ClientStatus,
    organization: Type.Union([Type.String(), Type.Null()], { description: 'The client organization, once accepted' }),
    autoAssign: Type.Object({ team: Type.Union([Type.String(), Type.Null()]) }),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
    timeInvited: Type.Union([Type.Number(), Type.Null()]),
    invitationExpiresAt: Type.Union([Type.Number(), Type.Null()]),
    timeAccepted: Type.Union([Type.Number(), Type.Null()]),
    timeDeleted: Type.Union([Type.Number(), Type.Null()]),
    orderCount: Type.Integer({ description: 'Orders this client has sent' }),
  },
  { $id: 'Client', title: 'Client' },
);

const AutoAssign = Type.Object({ team: Type.Union([Id('Team id'), Type.Null()]) }, { additionalProperties: false });

export const CreateClientBody = Body({ name: Name(), email: Email, autoAssign: Type.Optional(AutoAssign) });
export const UpdateClientBody = Body({ name: Type.Optional(Name()), email: Type.Optional(Email), autoAssign: Type.Optional(AutoAssign) });

export const ListClientsQuery = Type.Object({
  status: Type.Optional(ClientStatus),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches name or email' })),
  lastId: Type.Optional(Id()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const Invitation = Type.Object({
  courierName: Type.String(),
  courierLogo: Type.Union([Type.String(), Type.Null()]),
  clientName: Type.String(),
  email: Type.String(),
  status: ClientStatus,
  expiresAt: Type.Number(),
});

export const AcceptInvitationBody = Body({
  name: Name(),
  password: Password,
  organizationName: Type.Optional(Name()),
});
