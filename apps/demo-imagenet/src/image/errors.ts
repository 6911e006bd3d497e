import { SEError } from '@seblock/se-core';

/**
 * A file that is not an image this demo decodes, or a damaged one. A subclass of se-core's
 * SEError, so a program prints it like the packages' own errors: `field: expected …, received …`.
 */
export class ImageDecodeError extends SEError {
  readonly expected: string;
  readonly received: string;
  constructor(source: string, expected: string, received: string) {
    super(source, `expected ${expected}, received ${received}`);
    this.expected = expected;
    this.received = received;
  }
}
