// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class LeaderboardRow extends Schema {
    @type("uint16") public rank!: number;
    @type("uint16") public previousRank!: number;
    @type("string") public entityId!: string;
    @type("string") public name!: string;
    @type("number") public score!: number;
    @type("string") public trend!: string;
    @type("int32") public change!: number;
    @type("float32") public changePercent!: number;
    @type("string") public image!: string;
}
