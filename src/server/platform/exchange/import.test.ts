import { describe, expect, it } from 'vitest';
import { inputBefore } from './import.js';

describe('inputBefore', () => {
  it('turns an update’s change-log entries into the input that sets the fields back', () => {
    const changes = [
      { field: 'phone', before: '010-81112222' },
      { field: 'remark', before: null },
      { field: 'custom.cf_budget', before: 300 },
      { field: 'custom.cf_scale', before: null },
      // not a field the entity's update takes (an owner changes by transfer): left out
      { field: 'ownerId', before: 7 },
    ];
    expect(inputBefore(changes, ['phone', 'remark', 'email'])).toEqual({
      phone: '010-81112222',
      remark: null,
      custom: { cf_budget: 300, cf_scale: null },
    });
  });

  it('leaves custom out when no custom field changed', () => {
    expect(inputBefore([{ field: 'title', before: undefined }], ['title'])).toEqual({ title: null });
  });
});
