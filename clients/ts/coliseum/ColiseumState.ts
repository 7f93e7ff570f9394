// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { LeaderboardView } from './LeaderboardView'
import { KpiTile } from './KpiTile'

export class ColiseumState extends Schema {
    @type("string") public window!: string;
    @type({ map: LeaderboardView }) public leaderboards: MapSchema<LeaderboardView> = new MapSchema<LeaderboardView>();
    @type({ map: KpiTile }) public kpis: MapSchema<KpiTile> = new MapSchema<KpiTile>();
}
