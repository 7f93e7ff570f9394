// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { LeaderboardRow } from './LeaderboardRow'

export class LeaderboardView extends Schema {
    @type("string") public leaderboard!: string;
    @type("string") public title!: string;
    @type("string") public window!: string;
    @type([ LeaderboardRow ]) public rows: ArraySchema<LeaderboardRow> = new ArraySchema<LeaderboardRow>();
    @type("float64") public updatedAt!: number;
}
