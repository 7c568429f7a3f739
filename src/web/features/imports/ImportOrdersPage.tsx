import { Alert, Anchor, Button, Grid, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertCircle, IconArrowLeft, IconBuildingStore, IconFileSpreadsheet, IconUserQuestion } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type ComponentProps } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { notifyError } from '../../lib/notify.ts';
import { useSession } from '../../lib/session.tsx';
import { activeClientsQuery, importPreviewQuery, useStartImport, type ImportInput } from './api/imports.ts';
import { ColumnsHelp } from './components/ColumnsHelp.tsx';
import { ImportJobView } from './components/ImportJobView.tsx';
import { ImportPreview } from './components/ImportPreview.tsx';
import { ClientField, ImportSource, type SourceMode } from './components/ImportSource.tsx';
import { plural } from './lib/labels.ts';
import { csvTextProblem, readCsvFile, roughRowCount } from './lib/read-csv.ts';

/**
 * /portal/orders/import (a client imports its orders) and /orders/import (the courier imports for a
 * client; `?client=<id>` preselects it). Choose or paste a CSV, check every row, import the ready
 * ones in the background and follow the progress (`?job=<id>`).
 */
export function ImportOrdersPage() {
  const { organization } = useSession();
  const isClient = organization.kind === 'client';
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const clientParam = isClient ? null : params.get('client');

  // The orders: a chosen file (read as text) or pasted text.
  const [mode, setMode] = useState<SourceMode>('file');
  const [file, setFile] = useState<File | null>(null);
  const [fileText, setFileText] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const reads = useRef(0);
  const [pasted, setPasted] = useState('');
  const [settledPaste] = useDebouncedValue(pasted, 600);
  const pasteError = csvTextProblem(settledPaste, 'text');
  const csv = mode === 'file' ? fileText : !pasteError && settledPaste.trim() ? settledPaste : null;

  // The courier imports for one of its active clients.
  const clients = useQuery({ ...activeClientsQuery, enabled: !isClient });
  const clientOptions = (clients.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const chosenClient = clients.data?.find((c) => c.id === clientParam) ?? null;
  const clientError =
    clientParam && clients.data && !chosenClient ? 'That client is not active: orders can be imported only for clients who accepted their invitation. Choose another.' : null;

  const input: ImportInput | null = csv && (isClient || chosenClient) ? { csv, ...(chosenClient ? { client: chosenClient.id } : {}) } : null;
  const start = useStartImport();

  const setParam = (key: string, value: string | null, replace = true) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace },
    );

  const onFileChange = async (next: File | null) => {
    const read = ++reads.current;
    start.reset();
    setFile(next);
    setFileText(null);
    setFileError(null);
    if (!next) {
      setReading(false);
      return;
    }
    setReading(true);
    const { text, error } = await readCsvFile(next);
    if (read !== reads.current) return; // another file was chosen meanwhile
    setReading(false);
    setFileText(text);
    setFileError(error);
  };

  const onImport = () => {
    if (!input) return;
    start.mutate(input, {
      onSuccess: ({ jobId: id }) => setParam('job', id, false),
      onError: (error) => notifyError(error, 'Could not start the import'),
    });
  };

  const importAnother = () => {
    void onFileChange(null);
    setPasted('');
    setParam('job', null, false);
  };

  const orderPath = isClient ? paths.portalOrder : paths.courierOrder;
  const ordersPath = isClient ? paths.portalOrders() : clientParam ? paths.client(clientParam) : paths.dispatch();
  const back = isClient
    ? { to: paths.portalOrders(), label: 'Orders' }
    : chosenClient
      ? { to: paths.client(chosenClient.id), label: chosenClient.name }
      : { to: paths.dispatch(), label: 'Dispatch' };

  const header = (
    <>
      <Anchor component={Link} to={back.to} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {back.label}
      </Anchor>
      <PageHeader
        title="Import orders"
        description={
          isClient
            ? 'Create many orders at once from a CSV file, e.g. exported from your shop or a spreadsheet.'
            : chosenClient
              ? `Create orders for ${chosenClient.name} from a CSV file.`
              : 'Create orders for a client from a CSV file.'
        }
      />
    </>
  );

  if (jobId) {
    return (
      <>
        {header}
        <ImportJobView jobId={jobId} orderPath={orderPath} ordersPath={ordersPath} onImportAnother={importAnother} />
      </>
    );
  }

  if (!isClient && (clients.isPending || clients.isError || clients.data.length === 0)) {
    return (
      <>
        {header}
        {clients.isPending ? (
          <LoadingState label="Loading your clients…" />
        ) : clients.isError ? (
          <ErrorState error={clients.error} title="Could not load your clients" onRetry={() => void clients.refetch()} />
        ) : (
          <EmptyState
            icon={<IconBuildingStore size={28} aria-hidden />}
            title="No active clients yet"
            action={
              <Button component={Link} to={paths.clients()} variant="light">
                Go to the clients
              </Button>
            }
          >
            Orders are imported for a client who has accepted its invitation. Invite a client; once it has accepted, import
            its orders here.
          </EmptyState>
        )}
      </>
    );
  }

  let checked;
  if (mode === 'file' && reading) {
    checked = <LoadingState label="Reading the file…" />;
  } else if (!csv) {
    checked =
      (mode === 'file' && fileError) || (mode === 'paste' && pasteError) ? null : (
        <EmptyState icon={<IconFileSpreadsheet size={28} aria-hidden />} title="Nothing to check yet">
          {mode === 'file' ? 'Choose a CSV file' : 'Paste the CSV text'}, and every row is checked before anything is
          imported. Start from the template if you are not sure what the file should look like.
        </EmptyState>
      );
  } else if (!input) {
    checked = (
      <EmptyState icon={<IconUserQuestion size={28} aria-hidden />} title="Choose the client">
        Choose whom these orders are for; the file is checked then.
      </EmptyState>
    );
  } else {
    checked = (
      <CheckedFile
        input={input}
        again={mode === 'file' ? 'choose it again' : 'paste it again'}
        orderPath={orderPath}
        onImport={onImport}
        importing={start.isPending}
        importError={start.isError ? errorMessage(start.error) : null}
      />
    );
  }

  return (
    <>
      {header}
      <Stack gap="lg">
        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <ImportSource
              clientField={
                isClient ? undefined : (
                  <ClientField
                    options={clientOptions}
                    value={chosenClient?.id ?? null}
                    onChange={(id) => {
                      start.reset();
                      setParam('client', id);
                    }}
                    loading={clients.isPending}
                    error={clientError}
                  />
                )
              }
              mode={mode}
              onModeChange={(m) => {
                start.reset();
                setMode(m);
              }}
              file={file}
              onFileChange={(f) => void onFileChange(f)}
              reading={reading}
              fileError={fileError}
              pasted={pasted}
              onPastedChange={(text) => {
                start.reset();
                setPasted(text);
              }}
              pasteError={pasteError}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <ColumnsHelp />
          </Grid.Col>
        </Grid>
        {checked}
      </Stack>
    </>
  );
}

/**
 * The file as the server checked it. Mounted only while no import is shown: its preview is then
 * forgotten, so that coming back to the file after importing it checks it afresh.
 */
function CheckedFile({
  input,
  again,
  ...rest
}: { input: ImportInput; again: string } & Omit<ComponentProps<typeof ImportPreview>, 'preview'>) {
  const preview = useQuery(importPreviewQuery(input));
  if (preview.isPending) return <LoadingState label={`Checking ${plural(roughRowCount(input.csv), 'row')}…`} />;
  if (preview.isError) {
    return isApiError(preview.error, 400) || isApiError(preview.error, 409) ? (
      <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} title="This file cannot be imported" role="alert">
        <Text size="sm">{errorMessage(preview.error)}</Text>
        <Text size="sm" mt={4}>
          Fix it and {again}; the template shows what the file should look like.
        </Text>
      </Alert>
    ) : (
      <ErrorState error={preview.error} title="Could not check the file" onRetry={() => void preview.refetch()} />
    );
  }
  // a new check starts over: all rows, first page
  return <ImportPreview key={preview.dataUpdatedAt} preview={preview.data} {...rest} />;
}
