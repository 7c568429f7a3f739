import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { countryOptions, timezoneOptions } from '../lib/places.ts';

type Common = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string;
  onChange: (value: string) => void;
};

export function CountrySelect({ value, onChange, label = 'Country', ...rest }: Common) {
  const data = useMemo(() => countryOptions(), []);
  return (
    <Select
      label={label}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No country matches"
      maxDropdownHeight={280}
      {...rest}
      data={data}
      value={value}
      onChange={(v) => v && onChange(v)}
    />
  );
}

export function TimezoneSelect({ value, onChange, label = 'Time zone', ...rest }: Common) {
  const data = useMemo(() => timezoneOptions(value), [value]);
  return (
    <Select
      label={label}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No time zone matches"
      maxDropdownHeight={280}
      {...rest}
      data={data}
      value={value}
      onChange={(v) => v && onChange(v)}
    />
  );
}
