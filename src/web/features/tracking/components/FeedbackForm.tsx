import { Alert, Button, Fieldset, Group, Rating, Stack, Text, Textarea } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useId, useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { errorMessage, isApiError } from '../../../lib/api.ts';
import { useSendFeedback } from '../api/tracking.ts';
import type { Accent } from '../../../lib/colors.ts';

const MAX_COMMENTS = 1000;
const STAR_WORDS = ['', 'Very poor', 'Poor', 'Okay', 'Good', 'Excellent'];

const starLabel = (n: number) => `${n} ${n === 1 ? 'star' : 'stars'}: ${STAR_WORDS[n]}`;

/** 1–5 stars and comments, sent once per task. In the customizer's preview nothing can be sent. */
export function FeedbackForm({
  shortId,
  submitted,
  accent,
  preview,
}: {
  shortId: string;
  submitted: boolean;
  accent: Accent;
  preview: boolean;
}) {
  const send = useSendFeedback(shortId);
  const [rating, setRating] = useState(0);
  const [comments, setComments] = useState('');
  const [ratingError, setRatingError] = useState<string | null>(null);
  /** why the form can no longer be sent: already sent (409) or turned off (403) */
  const [closed, setClosed] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const ratingErrorId = useId();

  if (closed) {
    return (
      <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} role="status">
        {closed}
      </Alert>
    );
  }
  if (submitted || send.isSuccess) {
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} title="Thank you for your feedback!" role="status">
        {send.isSuccess ? `You rated this ${rating} out of 5.` : 'Your feedback was received.'}
      </Alert>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (preview) return;
    setFormError(null);
    if (rating < 1) {
      setRatingError('Choose from 1 to 5 stars.');
      return;
    }
    const text = comments.trim();
    send.mutate(
      { rating, ...(text ? { comments: text } : {}) },
      {
        onError: (error) => {
          if (isApiError(error, 409)) setClosed('Feedback was already sent for this delivery.');
          else if (isApiError(error, 403)) setClosed('Feedback is turned off for this delivery.');
          else if (isApiError(error, 429)) setFormError('Too many requests, try again in a moment.');
          else setFormError(errorMessage(error));
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <FormAlert message={formError} />
        <Fieldset
          legend="Your rating"
          variant="unstyled"
          disabled={preview}
          aria-describedby={ratingError ? ratingErrorId : undefined}
          styles={{ legend: { fontWeight: 500, fontSize: 'var(--mantine-font-size-sm)', marginBottom: 6 } }}
        >
          <Group gap="sm" wrap="nowrap">
            <Rating
              value={rating}
              onChange={(v) => {
                setRating(v);
                setRatingError(null);
              }}
              size="xl"
              color="yellow.6"
              name={`rating-${shortId}`}
              getSymbolLabel={starLabel}
              readOnly={preview}
            />
            {rating > 0 ? (
              <Text size="sm" c="dimmed" aria-hidden>
                {STAR_WORDS[rating]}
              </Text>
            ) : null}
          </Group>
          {ratingError ? (
            <Text id={ratingErrorId} size="sm" c="var(--mantine-color-error)" mt={4} role="alert">
              {ratingError}
            </Text>
          ) : null}
        </Fieldset>
        <Textarea
          label="Comments (optional)"
          placeholder="Anything we should know?"
          autosize
          minRows={3}
          maxRows={8}
          maxLength={MAX_COMMENTS}
          value={comments}
          onChange={(e) => setComments(e.currentTarget.value)}
          disabled={preview}
          description={comments.length > MAX_COMMENTS - 100 ? `${MAX_COMMENTS - comments.length} characters left` : undefined}
        />
        <Button
          type="submit"
          size="md"
          fullWidth
          color={accent.color}
          style={{ '--button-color': accent.on }}
          loading={send.isPending}
          disabled={preview}
        >
          Send feedback
        </Button>
        {preview ? (
          <Text size="xs" c="dimmed" ta="center">
            Feedback cannot be sent from the preview.
          </Text>
        ) : null}
      </Stack>
    </form>
  );
}
