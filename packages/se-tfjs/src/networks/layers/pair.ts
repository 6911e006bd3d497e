/** `[height, width]`, as the layers store kernel sizes, strides and dilations (mutable: TF.js configs). */
export type Pair = [number, number];
