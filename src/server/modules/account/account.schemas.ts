import { Type } from '@sinclair/typebox';
import { Body, Email, Password } from '../../lib/schemas.ts';

export const ChangeEmailBody = Body({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) });
export const ChangePasswordBody = Body({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password });
export const PendingEmail = Type.Object({ pendingEmail: Type.String(), expiresAt: Type.Number() });
export const EmailConfirmed = Type.Object({
  kind: Type.Union([Type.Literal('client'), Type.Literal('user')]),
  email: Type.String(),
});

export const ForgotPasswordBody = Body({ email: Email });
export const ResetPasswordBody = Body({ password: Password });
export const ResetRequested = Type.Object({
  ok: Type.Literal(true),
  message: Type.String(),
});
