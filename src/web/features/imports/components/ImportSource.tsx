import { FileInput, Group, Loader, Paper, Select, Stack, Tabs, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { IconClipboardText, IconFileSpreadsheet, IconRepeat, IconUpload } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { IMPORT_COLUMNS } from '../lib/csv-template.ts';

export type SourceMode = 'file' | 'paste';

export interface SourceProps {
  mode: SourceMode;
  onModeChange: (mode: SourceMode) => void;
  file: File | null;
  onFileChange: (file: File | null) => void;
  reading: boolean;
  fileError: string | null;
  pasted: string;
  onPastedChange: (text: string) => void;
  pasteError: string | null;
}

const PASTE_PLACEHOLDER = `${IMPORT_COLUMNS.filter((c) => c.required || c.name === 'reference')
  .map((c) => c.name)
  .join(',')}\nINV-1001,"12 Market Street, Springfield","48 Oak Avenue, Springfield",Jamie Doe`;

/** Step one: (for the courier, the client) and the file, chosen or pasted. */
export function ImportSource({ clientField, ...source }: SourceProps & { clientField?: ReactNode }) {
  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="import-source-title" h="100%">
      <Stack gap="md" h="100%">
        <Title order={2} fz="lg" id="import-source-title">
          Your orders
        </Title>
        {clientField}
        <Tabs value={source.mode} onChange={(v) => source.onModeChange(v === 'paste' ? 'paste' : 'file')} keepMounted={false}>
          <Tabs.List aria-label="How to give the orders">
            <Tabs.Tab value="file" leftSection={<IconFileSpreadsheet size={16} aria-hidden />}>
              Choose a file
            </Tabs.Tab>
            <Tabs.Tab value="paste" leftSection={<IconClipboardText size={16} aria-hidden />}>
              Paste CSV text
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="file" pt="md">
            <FileInput
              label="CSV file"
              description="A .csv file with one order per line. It is checked as soon as you choose it; nothing is created yet."
              placeholder="Choose a .csv file"
              accept=".csv,text/csv"
              clearable
              clearButtonProps={{ 'aria-label': 'Remove the file' }}
              leftSection={source.reading ? <Loader size={16} aria-label="Reading the file" /> : <IconUpload size={16} aria-hidden />}
              value={source.file}
              onChange={source.onFileChange}
              error={source.fileError}
            />
          </Tabs.Panel>
          <Tabs.Panel value="paste" pt="md">
            <Textarea
              label="CSV text"
              description="Paste the lines of the file, the column names first. They are checked when you stop typing."
              placeholder={PASTE_PLACEHOLDER}
              autosize
              minRows={6}
              maxRows={16}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
              value={source.pasted}
              onChange={(e) => source.onPastedChange(e.currentTarget.value)}
              error={source.pasteError}
            />
          </Tabs.Panel>
        </Tabs>
        <Group gap="xs" wrap="nowrap" align="flex-start" mt="auto">
          <ThemeIcon variant="light" color="gray" size="sm" radius="xl" aria-hidden>
            <IconRepeat size={14} />
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            Importing a file again is safe: rows imported before (the same reference, or the very same row without one)
            are skipped, so no order is created twice.
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}

export interface ClientOption {
  value: string;
  label: string;
}

/** The courier picks whom the orders are for: only active clients can have orders. */
export function ClientField({
  options,
  value,
  onChange,
  loading,
  error,
}: {
  options: ClientOption[];
  value: string | null;
  onChange: (id: string | null) => void;
  loading: boolean;
  error?: string | null;
}) {
  return (
    <Select
      label="Client"
      description="The orders are created for this client, as if it had sent them."
      placeholder={loading ? 'Loading clients…' : 'Choose a client'}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage="No active client has that name"
      disabled={loading}
      rightSection={loading ? <Loader size={16} aria-label="Loading clients" /> : undefined}
      error={error}
      required
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
