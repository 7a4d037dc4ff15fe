export type { Coordination } from './types';
export { memoryCoordination, isMemoryCoordination } from './memory';
export { redisCoordination, type RedisCoordinationOptions } from './redis';
