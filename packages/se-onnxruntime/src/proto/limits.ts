// The bounds a model cannot push this package past. Each is far above what real models need
// and low enough that reading a hostile model stays within about a second and 200 MB.

/**
 * The deepest nesting of subgraphs (an `If`/`Loop`/`Scan` body inside another body …) a model
 * may have; deeper models are refused with an SEModelError before any other work. Real
 * exporters nest a few levels; the walk over subgraphs is iterative, so the bound is about
 * protobuf's own recursive encoder and decoder, not about our stack.
 */
export const MAX_SUBGRAPH_DEPTH = 64;

/**
 * The most nodes `extractSE` may create by replacing calls of model-local functions with their
 * bodies (every nested call counted). A model over it is refused with an SEModelError naming
 * the function whose expansion crossed it. 1,000 SE blocks in function form expand to about
 * 20,000 nodes; a function body calling another function 10 times, 8 levels deep, to 10^8.
 */
export const MAX_FUNCTION_EXPANSION = 100_000;
