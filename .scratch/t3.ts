import { z } from 'zod';
import { replySchemas } from '../rooms/session/replies.js';
const s = z.fromJSONSchema(z.toJSONSchema(replySchemas.locked, { io: 'output' }) as any);
console.log(s.safeParse({ frequency: 1, artistId: 'a', haptic: [] }).success, s.safeParse({ frequency: 1, artistId: 'a', haptic: [], extra: 1 }).success, s.safeParse({ frequency: 1, artistId: 'a', haptic: [{type:'x', time:0, intensity:1}] }).success);
