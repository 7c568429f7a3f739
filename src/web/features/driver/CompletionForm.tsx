import { Button, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { notifySuccess } from '../../lib/notify.ts';
import type { FailureReason, Task } from '../../lib/types.ts';
import { useCompleteTask } from './api/driver.ts';
import { PhotoField } from './PhotoField.tsx';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad.tsx';
import { FAILURE_REASONS, taskKind } from './task-format.ts';
import { DANGER_COLOR, SUCCESS_COLOR } from './colors.ts';

export type Outcome = 'success' | 'failure';

interface Problems {
  failureReason?: string;
  notes?: string;
  photo?: string;
  signature?: string;
}

/** Completes the active task as done (success) or failed, with notes, a photo and a signature. */
export function CompletionForm({ task, outcome, onCancel }: { task: Task; outcome: Outcome; onCancel: () => void }) {
  const navigate = useNavigate();
  const complete = useCompleteTask();
  const success = outcome === 'success';
  const kind = taskKind(task).toLowerCase();
  const needs = success ? task.requirements : { photo: false, signature: false, notes: false, minimumAge: 0 };

  const [failureReason, setFailureReason] = useState<FailureReason | null>(null);
  const [notes, setNotes] = useState('');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [signed, setSigned] = useState(false);
  const signature = useRef<SignaturePadHandle>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Problems = {};
    if (!success && !failureReason) found.failureReason = 'Choose what went wrong.';
    if (needs.notes && !notes.trim()) found.notes = 'This task needs notes.';
    if (needs.photo && !photo) found.photo = 'This task needs a photo.';
    if (needs.signature && !signed) found.signature = 'This task needs the recipient’s signature.';
    setProblems(found);
    setFormError(null);
    if (Object.keys(found).length) {
      setFormError('Some details are missing; see the fields marked below.');
      return;
    }
    const signatureImage = success && signed ? await signature.current?.toBlob() : null;
    complete.mutate(
      {
        id: task.id,
        details: {
          success,
          notes: notes.trim() || undefined,
          failureReason: success ? undefined : (failureReason ?? 'OTHER'),
        },
        photo,
        signature: signatureImage ?? null,
      },
      {
        onSuccess: () => {
          navigate(paths.driver());
          notifySuccess(
            success ? `The ${kind} is done.` : `The ${kind} was reported as failed.`,
            success ? 'Task completed' : 'Task failed',
          );
        },
        onError: (error) => {
          // 400 lists what the task still needs; 409 says why it cannot be completed now.
          setFormError(isApiError(error) ? error.message : errorMessage(error));
        },
      },
    );
  };

  const pending = complete.isPending;
  return (
    <Paper p="md" radius="md" component="section" aria-labelledby="completion-title">
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="md">
          <Title order={2} fz="lg" id="completion-title" tabIndex={-1}>
            {success ? `Complete the ${kind}` : `Report a failed ${kind}`}
          </Title>
          <FormAlert message={formError} title={success ? 'Could not complete the task' : 'Could not report the failure'} />
          {!success ? (
            <Select
              label="What went wrong?"
              placeholder="Choose a reason"
              size="md"
              withAsterisk
              data={FAILURE_REASONS}
              value={failureReason}
              onChange={(value) => {
                setFailureReason(value as FailureReason | null);
                setProblems((p) => ({ ...p, failureReason: undefined }));
              }}
              allowDeselect={false}
              error={problems.failureReason}
              disabled={pending}
              comboboxProps={{ withinPortal: true }}
            />
          ) : null}
          <Textarea
            label="Notes"
            description={
              !success
                ? 'What happened, for your dispatcher.'
                : task.pickupTask
                  ? 'For example what you collected, or who handed it over.'
                  : 'For example where you left the parcel, or who took it.'
            }
            size="md"
            autosize
            minRows={3}
            maxRows={8}
            maxLength={5000}
            withAsterisk={needs.notes}
            value={notes}
            onChange={(e) => {
              setNotes(e.currentTarget.value);
              setProblems((p) => ({ ...p, notes: undefined }));
            }}
            error={problems.notes}
            disabled={pending}
          />
          <PhotoField
            description={
              !success
                ? 'A picture of the problem, if it helps.'
                : task.pickupTask
                  ? 'A picture of what you collected.'
                  : 'A picture of the parcel where you left it.'
            }
            required={needs.photo}
            error={problems.photo}
            disabled={pending}
            onChange={(p) => {
              setPhoto(p);
              setProblems((x) => ({ ...x, photo: undefined }));
            }}
          />
          {success ? (
            <SignaturePad
              ref={signature}
              label={task.pickupTask ? 'Signature' : 'Recipient’s signature'}
              description={
                task.pickupTask
                  ? 'Ask the person handing over the parcel to sign in the box with a finger.'
                  : 'Ask the recipient to sign in the box with a finger.'
              }
              required={needs.signature}
              error={problems.signature}
              disabled={pending}
              onSignedChange={(value) => {
                setSigned(value);
                setProblems((p) => ({ ...p, signature: undefined }));
              }}
            />
          ) : null}
          {pending ? (
            <Text size="sm" c="dimmed" role="status">
              {photo || signed ? 'Sending the photo and signature…' : 'Sending…'}
            </Text>
          ) : null}
          <Stack gap="sm">
            <Button
              type="submit"
              size="xl"
              fullWidth
              color={success ? SUCCESS_COLOR : DANGER_COLOR}
              loading={pending}
              leftSection={success ? <IconCheck size={22} aria-hidden /> : <IconX size={22} aria-hidden />}
            >
              {success ? `Complete ${kind}` : 'Report failure'}
            </Button>
            <Button variant="default" size="lg" fullWidth onClick={onCancel} disabled={pending}>
              Back
            </Button>
          </Stack>
        </Stack>
      </form>
    </Paper>
  );
}
