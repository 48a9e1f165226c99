SELECT 1 -- comment
# hash comment
; DELETE FROM t WHERE 1 = 1;