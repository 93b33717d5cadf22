-- A valid CPF (11 digits, its two check digits by weights 10..2 and 11..2) made from the 9-digit number n: the wrk
-- scripts of bench.sh and soak.sh use it so that every customer they create has a new one.
-- Loaded with dofile, which returns the function.
return function(n)
	local d, s = {}, string.format("%09d", n)
	for i = 1, 9 do d[i] = tonumber(s:sub(i, i)) end
	for k = 10, 11 do
		local sum = 0
		for i = 1, k - 1 do sum = sum + d[i] * (k + 1 - i) end
		local r = sum % 11
		d[k] = r < 2 and 0 or 11 - r
	end
	return table.concat(d)
end
