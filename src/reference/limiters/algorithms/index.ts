export { decide } from './decide.js';
export { LimiterModel, type LimiterModelOptions } from './model.js';
export { checkCost, compilePolicies, PolicyError, stateStride } from './policy.js';
export { algorithmByName, ALGORITHMS, isAlgorithmName } from './registry.js';
export { ALGORITHM_NAMES, type Algorithm, type AlgorithmName, type Clock, type Decision, type Policy, type PolicySpec, type Verdict } from './types.js';
