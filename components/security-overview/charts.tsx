"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyPoint, SignInDay } from "@/lib/security-overview/overview";

// B4: the overview's two charts. Drawn for sighted readers only (aria-hidden, and without
// recharts' keyboard layer, which would put a focusable element inside a hidden one): the
// page gives each the same figures as a table for screen readers, beside it.
const shortDay = (day: string) => day.slice(5);

export function AdoptionChart({ points }: { points: DailyPoint[] }) {
  return (
    <div aria-hidden="true" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
          <YAxis domain={[0, 100]} unit="%" fontSize={12} width={48} />
          <Tooltip formatter={(value) => [`${value}%`, "With 2FA"]} />
          <Line type="monotone" dataKey="percent" name="With 2FA" stroke="#4f46e5" strokeWidth={2} dot={points.length < 2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SignInsChart({ days }: { days: SignInDay[] }) {
  return (
    <div aria-hidden="true" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={days} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={48} />
          <Tooltip />
          <Legend />
          <Bar dataKey="succeeded" name="Sign-ins" stackId="day" fill="#059669" isAnimationActive={false} />
          <Bar dataKey="failed" name="Failed sign-ins" stackId="day" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
